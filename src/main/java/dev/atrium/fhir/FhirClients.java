package dev.atrium.fhir;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IClientInterceptor;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.api.ServerValidationModeEnum;
import ca.uhn.fhir.rest.client.interceptor.BasicAuthInterceptor;
import dev.atrium.config.FhirSettings;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** One HAPI FHIR R4 client per FHIR base URL (a shared server or a partition's tenant), with the configured auth. */
final class FhirClients {
  private final FhirContext context = FhirContext.forR4();
  private final FhirSettings settings;
  private final IClientInterceptor auth;
  private final Map<String, IGenericClient> clients = new ConcurrentHashMap<>();

  FhirClients(FhirSettings settings) {
    this.settings = settings;
    // The sync's first call must not depend on the capability statement (slow on big servers).
    context.getRestfulClientFactory().setServerValidationMode(ServerValidationModeEnum.NEVER);
    context.getRestfulClientFactory().setConnectTimeout(10_000);
    context.getRestfulClientFactory().setSocketTimeout(60_000);
    this.auth = switch (settings.auth().type()) {
      case NONE -> null;
      case BASIC -> new BasicAuthInterceptor(settings.auth().username(), settings.auth().password());
      case OAUTH2_CLIENT_CREDENTIALS -> new OAuth2ClientCredentials(settings.auth());
    };
  }

  IGenericClient forPartition(String partition) {
    return clients.computeIfAbsent(settings.baseUrlFor(partition), url -> {
      IGenericClient client = context.newRestfulGenericClient(url);
      if (auth != null) client.registerInterceptor(auth);
      return client;
    });
  }
}
