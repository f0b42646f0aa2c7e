package dev.atrium.security;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.jwk.source.RateLimitReachedException;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import dev.atrium.config.AtriumConfig;
import java.net.URL;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Validates OAuth 2.0 bearer tokens (JWT, RFC 9068) locally with Nimbus JOSE+JWT: the signature
 * against the issuer's JWKS (fetched lazily, cached, refetched when a token names a kid the cache
 * does not know, which is how key rotation shows), {@code iss}, {@code aud}, {@code exp} and
 * {@code nbf} with a small clock skew, and only the configured asymmetric algorithms (never
 * {@code none}, never an HMAC secret guessed from a public key).
 */
public final class TokenVerifier {
  private static final int HTTP_TIMEOUT_MS = 3000;
  private static final int JWKS_SIZE_LIMIT = 512 * 1024;

  private final DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
  private final long refetchIntervalMillis;
  private final String rolesClaim;
  private final RoleMapping roles;

  public TokenVerifier(AtriumConfig.Security config, URL jwksUrl, RoleMapping roles) {
    long cacheMillis = config.jwksCacheSeconds() * 1000L;
    this.refetchIntervalMillis = Math.min(30_000L, cacheMillis / 2);
    this.rolesClaim = config.rolesClaim();
    this.roles = roles;
    JWKSource<SecurityContext> keys = JWKSourceBuilder.create(jwksUrl,
            new DefaultResourceRetriever(HTTP_TIMEOUT_MS, HTTP_TIMEOUT_MS, JWKS_SIZE_LIMIT))
        .retrying(true)
        .cache(cacheMillis, Math.min(HTTP_TIMEOUT_MS, cacheMillis / 4))
        .refreshAheadCache(false)
        // A token naming an unknown kid refetches the key set, at most this often: random kids
        // in forged tokens must not turn the archive into a JWKS download loop.
        .rateLimited(refetchIntervalMillis)
        .build();
    Set<JWSAlgorithm> algorithms = new HashSet<>();
    for (String name : config.algorithms()) algorithms.add(JWSAlgorithm.parse(name));
    processor.setJWSKeySelector(new JWSVerificationKeySelector<>(algorithms, keys));
    // RFC 9068 access tokens say typ at+jwt; many issuers say JWT or nothing.
    processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(JOSEObjectType.JWT,
        new JOSEObjectType("at+jwt"), null));
    DefaultJWTClaimsVerifier<SecurityContext> claims = new DefaultJWTClaimsVerifier<>(config.audience(),
        new JWTClaimsSet.Builder().issuer(config.issuer()).build(), Set.of("exp", "iss", "aud"));
    claims.setMaxClockSkew(config.clockSkewSeconds());
    processor.setJWTClaimsSetVerifier(claims);
  }

  /** The caller the token speaks for, with the grants its roles map to. */
  public Principal verify(String token) throws InvalidTokenException {
    JWTClaimsSet claims;
    JWT jwt;
    try {
      jwt = JWTParser.parse(token);
    } catch (ParseException e) {
      throw new InvalidTokenException("the token is not a JWT: " + e.getMessage());
    }
    if (jwt instanceof PlainJWT) throw new InvalidTokenException("an unsigned token (alg none) is refused");
    try {
      claims = processor.process(jwt, null);
    } catch (BadJOSEException e) {
      throw new InvalidTokenException(e.getMessage());
    } catch (RateLimitReachedException e) {
      // Forged tokens with random kids must not make the archive download the key set in a loop.
      throw new InvalidTokenException("the token's signing key " + keyId(jwt) + " is not among the issuer's keys, "
          + "fetched less than " + refetchIntervalMillis / 1000 + " s ago (a kid not yet known waits that long for a refetch)");
    } catch (KeySourceException e) {
      throw new InvalidTokenException("the issuer's signing keys cannot be fetched: "
          + (e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName()));
    } catch (com.nimbusds.jose.JOSEException e) {
      throw new InvalidTokenException("the token's signature cannot be checked: " + e.getMessage());
    }
    return new Principal(name(claims), roles.grantsFor(roleValues(claims)));
  }

  private static String keyId(JWT jwt) {
    String kid = jwt.getHeader() instanceof JWSHeader jws ? jws.getKeyID() : null;
    return kid == null ? "(no kid)" : "'" + kid + "'";
  }

  private static String name(JWTClaimsSet claims) {
    String subject = claims.getSubject();
    Object client = claims.getClaim("azp") != null ? claims.getClaim("azp") : claims.getClaim("client_id");
    if (subject == null) return client == null ? "unknown" : String.valueOf(client);
    return client == null || subject.equals(client) ? subject : subject + " (client " + client + ")";
  }

  /** The roles claim as a list of strings: an array, or one space-separated string (as "scope" is). */
  private Collection<String> roleValues(JWTClaimsSet claims) {
    Object value = claims.getClaim(rolesClaim);
    List<String> values = new ArrayList<>();
    if (value instanceof Collection<?> list) {
      for (Object item : list) values.add(String.valueOf(item));
    } else if (value instanceof String text) {
      for (String item : text.trim().split("\\s+")) if (!item.isEmpty()) values.add(item);
    }
    return values;
  }
}
