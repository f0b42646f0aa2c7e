package dev.atrium.support;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.IInterceptorService;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.jpa.search.DatabaseBackedPagingProvider;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.api.ServerValidationModeEnum;
import ca.uhn.fhir.rest.client.interceptor.BasicAuthInterceptor;
import ca.uhn.fhir.rest.server.RestfulServer;
import ca.uhn.fhir.rest.server.exceptions.AuthenticationException;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import ca.uhn.fhir.rest.server.provider.ResourceProviderFactory;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Patient;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;

/**
 * A real FHIR R4 server in this JVM: HAPI FHIR's JPA server (in-memory H2) behind Jetty on a
 * local port. Every request must carry HTTP Basic credentials ({@link #USER}, {@link #PASSWORD})
 * or a bearer token signed by the given OAuth2 issuer. It can be taken off the network and back
 * (same port, same data), and it refuses Patients whose identifier starts with
 * {@link #REJECTED_ID_PREFIX}, as a server enforcing a profile would (422).
 */
public final class FhirTestServer implements AutoCloseable {
  public static final String REJECTED_ID_PREFIX = "REJECTED";
  public static final String USER = "atrium";
  public static final String PASSWORD = "fhir-test-password";

  private final AnnotationConfigApplicationContext spring;
  private final Server jetty;
  private final ServerConnector connector;
  private final FhirContext fhir;

  /** {@code jwks}: where the OAuth2 issuer whose tokens are accepted publishes its keys. */
  public FhirTestServer(URL jwks) throws Exception {
    spring = new AnnotationConfigApplicationContext(HapiFhirServerConfig.class);
    try {
      fhir = spring.getBean(FhirContext.class);
      spring.getBean(IInterceptorService.class).registerInterceptor(new ProfileRule());
      RestfulServer restful = new RestfulServer(fhir);
      restful.registerProviders(spring.getBean(ResourceProviderFactory.class).createProviders());
      restful.setPagingProvider(spring.getBean(DatabaseBackedPagingProvider.class));
      restful.registerInterceptor(new Credentials(jwks));
      jetty = new Server();
      connector = new ServerConnector(jetty);
      connector.setHost("127.0.0.1");
      jetty.addConnector(connector);
      ServletContextHandler context = new ServletContextHandler();
      context.addServlet(new ServletHolder(restful), "/fhir/*");
      jetty.setHandler(context);
      jetty.start();
      connector.setPort(connector.getLocalPort()); // a restart binds the same port again
    } catch (Exception | Error e) {
      spring.close();
      throw e;
    }
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + connector.getPort() + "/fhir";
  }

  /** A client of this server, for the tests' checks. */
  public IGenericClient client() {
    fhir.getRestfulClientFactory().setServerValidationMode(ServerValidationModeEnum.NEVER);
    fhir.getRestfulClientFactory().setSocketTimeout(60_000);
    IGenericClient client = fhir.newRestfulGenericClient(baseUrl());
    client.registerInterceptor(new BasicAuthInterceptor(USER, PASSWORD));
    return client;
  }

  /** Off the network: connections are refused until {@link #goOnline()}; the data stays. */
  public void goOffline() throws Exception {
    connector.stop();
  }

  public void goOnline() throws Exception {
    connector.start();
  }

  @Override
  public void close() throws Exception {
    try {
      jetty.stop();
    } finally {
      spring.close();
    }
  }

  /** Lets in requests with the Basic credentials or a valid bearer token (signature, expiry); 401 otherwise. */
  public static final class Credentials {
    private final DefaultJWTProcessor<SecurityContext> tokens = new DefaultJWTProcessor<>();

    Credentials(URL jwks) {
      tokens.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.RS256,
          JWKSourceBuilder.<SecurityContext>create(jwks).build()));
    }

    @Hook(Pointcut.SERVER_INCOMING_REQUEST_POST_PROCESSED)
    public boolean check(HttpServletRequest request) {
      String authorization = request.getHeader("Authorization");
      String basic = "Basic " + Base64.getEncoder().encodeToString((USER + ":" + PASSWORD)
          .getBytes(StandardCharsets.UTF_8));
      if (basic.equals(authorization)) return true;
      if (authorization != null && authorization.startsWith("Bearer ")) {
        try {
          tokens.process(authorization.substring(7), null);
          return true;
        } catch (Exception e) {
          throw new AuthenticationException("bearer token refused: " + e.getMessage());
        }
      }
      throw new AuthenticationException("credentials required");
    }
  }

  /** A business rule of the kind FHIR servers enforce through profiles. */
  public static final class ProfileRule {
    @Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_CREATED)
    public void check(IBaseResource resource) {
      if (resource instanceof Patient p && p.getIdentifier().stream()
          .anyMatch(id -> id.getValue() != null && id.getValue().startsWith(REJECTED_ID_PREFIX))) {
        throw new UnprocessableEntityException("Patient identifier " + p.getIdentifierFirstRep().getValue()
            + " is not allowed by this server's profile");
      }
    }
  }
}
