package dev.atrium.web;

import java.util.List;

/**
 * Chooses one of the media types an endpoint can produce from a list of media ranges with q
 * values (an Accept header, RFC 9110 12.5.1, as PS3.18 8.7 uses it; or WADO-URI's contentType
 * list, PS3.18 9.4.1.1): each offered type takes the q of the most specific range that matches it,
 * the highest q above 0 wins, and a tie goes to the type offered first.
 */
final class MediaTypeChoice {
  private MediaTypeChoice() {}

  /** The chosen type, or null when the ranges accept none of {@code offered}. */
  static String choose(List<MediaType> ranges, List<String> offered) {
    String best = null;
    double bestQ = 0;
    for (String type : offered) {
      double q = quality(ranges, type);
      if (q > bestQ) {
        best = type;
        bestQ = q;
      }
    }
    return best;
  }

  private static double quality(List<MediaType> ranges, String type) {
    int bestSpecificity = -1;
    double q = 0;
    String major = type.substring(0, type.indexOf('/'));
    for (MediaType range : ranges) {
      int specificity = range.is(type) ? 2 : range.is(major + "/*") ? 1 : range.is("*/*") ? 0 : -1;
      if (specificity > bestSpecificity) {
        bestSpecificity = specificity;
        q = range.quality();
      }
    }
    return q;
  }
}
