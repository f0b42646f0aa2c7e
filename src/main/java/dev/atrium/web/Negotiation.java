package dev.atrium.web;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Accept header negotiation as PS3.18 8.7 says: the media ranges are tried from the highest q
 * value down (q=0 means "not acceptable"; equal q keeps the client's order), each offered to the
 * endpoint, which answers with what it would send for that range, nothing (not a type it
 * serves) or a reason it cannot (e.g. a transfer syntax it cannot produce). No Accept header is
 * "*&#47;*". When no range can be served the answer is 406 with the reasons.
 */
final class Negotiation {
  private Negotiation() {}

  /** A range of a type the endpoint serves, but not with these parameters; the message says why. */
  static final class Unacceptable extends Exception {
    Unacceptable(String reason) {
      super(reason);
    }
  }

  /** What the endpoint sends for one media range: a choice, or null for a type it does not serve. */
  interface Offer<T> {
    T match(MediaType range) throws Unacceptable;
  }

  /**
   * The endpoint's choice for the most preferred acceptable range. {@code served} describes
   * what the endpoint can send, for the 406 message.
   */
  static <T> T choose(String accept, Offer<T> offer, String served) {
    return choose(accept, "Accept", offer, served);
  }

  /** As {@link #choose(String, Offer, String)}, the ranges coming from {@code from} (named in the 406). */
  static <T> T choose(String accept, String from, Offer<T> offer, String served) {
    List<MediaType> ranges = MediaType.parseList(accept);
    if (ranges.isEmpty()) ranges = List.of(MediaType.parse("*/*"));
    List<String> reasons = new ArrayList<>();
    for (MediaType range : ranges.stream().filter(r -> r.quality() > 0)
        .sorted(Comparator.comparingDouble(MediaType::quality).reversed()).toList()) {
      try {
        T chosen = offer.match(range);
        if (chosen != null) return chosen;
      } catch (Unacceptable reason) {
        if (!reasons.contains(reason.getMessage())) reasons.add(reason.getMessage());
      }
    }
    throw new HttpProblem(406, "none of " + from + ": " + (accept == null || accept.isBlank() ? "*/*" : accept)
        + " can be served"
        + (reasons.isEmpty() ? "" : " (" + String.join("; ", reasons) + ")") + "; this resource is served as "
        + served);
  }

  /**
   * One of the concrete types {@code offered} (in the server's order of preference), for
   * endpoints that serve single media types without parameters: rendered images (an Accept
   * header or the accept query parameter, PS3.18 8.3.3.1) and WADO-URI's contentType list (9.4.1.1).
   * A wildcard range offers a type only when no more specific range names it (RFC 9110 12.5.1:
   * "*&#47;*, image/jpeg;q=0" excludes JPEG).
   */
  static String chooseType(String accept, String from, List<String> offered) {
    List<MediaType> ranges = MediaType.parseList(accept);
    return choose(accept, from, range -> offered.stream()
        .filter(type -> range.equals(mostSpecific(ranges, type)) || ranges.isEmpty() && range.covers(type))
        .findFirst().orElse(null), String.join(" or ", offered));
  }

  /** The range that decides a type's q: the type itself, else its "major/*", else "*&#47;*"; the first of equals. */
  private static MediaType mostSpecific(List<MediaType> ranges, String type) {
    String major = type.substring(0, type.indexOf('/') + 1) + "*";
    MediaType best = null;
    int bestSpecificity = -1;
    for (MediaType range : ranges) {
      int specificity = range.is(type) ? 2 : range.is(major) ? 1 : range.is("*/*") ? 0 : -1;
      if (specificity > bestSpecificity) {
        best = range;
        bestSpecificity = specificity;
      }
    }
    return best;
  }

  /**
   * QIDO-RS results and WADO-RS metadata (PS3.18 8.7.3.2, 10.6.3): DICOM JSON by default, PS3.19
   * XML in multipart/related on request. True for XML.
   */
  /** PS3.18 10.5.3: the STOW-RS response as application/dicom+json or application/dicom+xml, as Accept prefers. */
  static boolean stowResponseAsXml(String accept) {
    return choose(accept, range -> {
      if (range.covers("application/dicom+json") || range.is("application/json")) return false;
      if (range.covers("application/dicom+xml")) return true;
      return null;
    }, "application/dicom+json or application/dicom+xml");
  }

  static boolean xmlRatherThanJson(String accept) {
    return choose(accept, range -> {
      MediaType part = range.partType();
      if (range.covers("application/dicom+json") || range.is("application/json")) return false;
      if (part != null && part.covers("application/dicom+xml")) return true;
      return null;
    }, "application/dicom+json or multipart/related; type=\"application/dicom+xml\"");
  }
}
