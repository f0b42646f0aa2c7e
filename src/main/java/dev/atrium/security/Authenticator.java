package dev.atrium.security;

import dev.atrium.config.AtriumConfig;
import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Turns an Authorization header into a {@link Principal}: {@link Principal#ANONYMOUS} when
 * security is off, else the verified bearer token's caller. The JWKS address is discovered from
 * the issuer on first use (and again after a failure), so the archive starts while the identity
 * provider is down and recovers when it comes back.
 */
public final class Authenticator {
  private final AtriumConfig.Security config;
  private final RoleMapping roles;
  private volatile TokenVerifier verifier;

  public Authenticator(AtriumConfig.Security config) {
    this.config = config;
    Map<String, Set<Action>> mapping = new HashMap<>();
    config.roles().forEach((role, actions) -> {
      Set<Action> set = EnumSet.noneOf(Action.class);
      for (String action : actions) set.add(Action.parse(action));
      mapping.put(role, set);
    });
    this.roles = new RoleMapping(mapping);
  }

  public boolean enabled() {
    return config.enabled();
  }

  /** The caller named by an "Authorization: Bearer …" header value (RFC 6750 2.1); null header = none sent. */
  public Principal authenticate(String authorization) throws InvalidTokenException {
    if (!config.enabled()) return Principal.ANONYMOUS;
    if (authorization == null || authorization.isBlank()) throw new MissingTokenException();
    String[] parts = authorization.trim().split("\\s+", 2);
    if (parts.length != 2 || !parts[0].equalsIgnoreCase("Bearer")) {
      throw new InvalidTokenException("the Authorization header is not 'Bearer <token>'");
    }
    return verifier().verify(parts[1]);
  }

  private TokenVerifier verifier() throws InvalidTokenException {
    TokenVerifier current = verifier;
    if (current != null) return current;
    synchronized (this) {
      if (verifier == null) {
        URL jwks;
        try {
          jwks = config.jwksUrl().isBlank() ? OidcDiscovery.jwksUri(config.issuer())
              : URI.create(config.jwksUrl()).toURL();
        } catch (IOException | IllegalArgumentException e) {
          throw new InvalidTokenException("the issuer's keys cannot be located: " + e.getMessage());
        }
        verifier = new TokenVerifier(config, jwks, roles);
      }
      return verifier;
    }
  }

  /** No token at all: RFC 6750 3.1 says the challenge then carries no error code. */
  public static final class MissingTokenException extends InvalidTokenException {
    MissingTokenException() {
      super("no bearer token in the Authorization header");
    }
  }
}
