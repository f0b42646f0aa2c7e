package dev.atrium.web;

import dev.atrium.audit.AuditTrail;
import dev.atrium.changefeed.ChangeFeedService;
import dev.atrium.config.AtriumConfig;
import dev.atrium.delete.DeleteService;
import dev.atrium.fhir.FhirSync;
import dev.atrium.health.HealthCheck;
import dev.atrium.metrics.Metrics;
import dev.atrium.partition.PartitionService;
import dev.atrium.query.QueryEngine;
import dev.atrium.query.QueryLevel;
import dev.atrium.retrieve.RenderService;
import dev.atrium.retrieve.RetrieveService;
import dev.atrium.security.Authenticator;
import dev.atrium.security.TlsContexts;
import javax.net.ssl.SSLContext;
import dev.atrium.store.StoreService;
import dev.atrium.tags.ExtendedQueryTagService;
import dev.atrium.web.RenderedEndpoint.Target;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jetty.io.ArrayByteBufferPool;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Jetty serving DICOMweb under /dicom-web and /health; the routes are the whole HTTP surface. */
public final class WebServer implements AutoCloseable {
  private static final long STOP_GRACE_MS = 20_000;
  private static final long SHUTDOWN_IDLE_MS = 200;
  private static final Logger log = LoggerFactory.getLogger(WebServer.class);

  private final Server server;
  private final ServerConnector connector;
  private final ServerConnector httpsConnector;

  public WebServer(AtriumConfig config, StoreService store, QueryEngine query, RetrieveService retrieve,
      ChangeFeedService changeFeed, DeleteService delete, HealthCheck health, PartitionService partitions,
      AuditTrail audit, FhirSync fhirSync, ExtendedQueryTagService extendedTags, Metrics metrics) {
    QueuedThreadPool threads = new QueuedThreadPool(config.http().maxThreads());
    threads.setName("http");
    // Buffers as large as a retrieve's body buffer are pooled too (Jetty's default pool keeps none past 64 KiB: each
    // retrieve allocated, zeroed and left to the collector a direct buffer of its own); each size keeps at most one
    // per worker.
    server = new Server(threads, null,
        new ArrayByteBufferPool.Quadratic(0, DirectBody.SIZE, config.http().maxThreads()));
    connector = new ServerConnector(server, new HttpConnectionFactory(httpConfiguration(config.http())));
    connector.setIdleTimeout(config.http().idleTimeoutSeconds() * 1000L);
    connector.setHost(config.http().bindAddress());
    connector.setPort(config.http().port());
    server.addConnector(connector);
    SSLContext tls = TlsContexts.create(config.tls());
    httpsConnector = tls == null ? null : HttpsConnector.create(server, tls, config.http());
    if (httpsConnector != null) server.addConnector(httpsConnector);
    // At a stop, idle keep-alive connections close at once; only requests under way are waited for.
    for (var c : server.getConnectors()) ((ServerConnector) c).setShutdownIdleTimeout(SHUTDOWN_IDLE_MS);
    server.setRequestLog(new AccessLog(metrics));
    CrossOrigin crossOrigin = new CrossOrigin(config.http().cors());
    server.setErrorHandler(new JsonErrorHandler(crossOrigin));

    String study = "/dicom-web/studies/(?<study>" + Route.UID + ")";
    StowEndpoint stow = new StowEndpoint(store, config.store().duplicatePolicyStow(), config.http().maxThreads());
    String series = study + "/series/(?<series>" + Route.UID + ")";
    FramesEndpoint frames = new FramesEndpoint(retrieve);
    List<Route> routes = List.of(
        Route.of("GET", "/health", new HealthEndpoint(health)),
        Route.of("GET", "/metrics", new MetricsEndpoint(metrics)),
        Route.of("GET", "/fhir-sync", new FhirSyncEndpoint(fhirSync, false)),
        Route.of("GET", "/fhir-sync/errors", new FhirSyncEndpoint(fhirSync, true)),
        Route.of("GET", "/dicom-web/partitions", new PartitionsEndpoint(partitions)),
        Route.of("GET", "/dicom-web/changefeed", changeFeed(changeFeed, retrieve, ChangeFeedEndpoint.Shape.V1)),
        Route.of("GET", "/dicom-web/v2/changefeed", changeFeed(changeFeed, retrieve, ChangeFeedEndpoint.Shape.V2)),
        Route.of("GET", "/dicom-web(/v2)?/changefeed/latest",
            changeFeed(changeFeed, retrieve, ChangeFeedEndpoint.Shape.LATEST)),
        Route.of("POST", "/dicom-web/studies", stow),
        Route.of("POST", study, stow),
        Route.of("PUT", "/dicom-web/studies", stow),
        Route.of("PUT", study, stow),
        Route.of("GET", "/dicom-web/studies", qido(query, QueryLevel.STUDY)),
        Route.of("GET", "/dicom-web/series", qido(query, QueryLevel.SERIES)),
        Route.of("GET", "/dicom-web/instances", qido(query, QueryLevel.INSTANCE)),
        Route.of("GET", study + "/series", qido(query, QueryLevel.SERIES)),
        Route.of("GET", study + "/instances", qido(query, QueryLevel.INSTANCE)),
        Route.of("GET", series + "/instances", qido(query, QueryLevel.INSTANCE)),
        Route.of("GET", study + "/metadata", metadata(retrieve, WadoEndpoint.Level.STUDY)),
        Route.of("GET", series + "/metadata", metadata(retrieve, WadoEndpoint.Level.SERIES)),
        Route.of("GET", series + "/instances/(?<instance>" + Route.UID + ")/metadata",
            metadata(retrieve, WadoEndpoint.Level.INSTANCE)),
        Route.of("GET", series + "/instances/(?<instance>" + Route.UID + ")/bulkdata/(?<tag>[^/]+)",
            new BulkDataEndpoint(retrieve, frames)),
        Route.of("GET", series + "/instances/(?<instance>" + Route.UID + ")/frames/(?<frames>[^/]+)", frames),
        Route.of("DELETE", study, new DeleteEndpoint(delete)),
        Route.of("DELETE", series, new DeleteEndpoint(delete)),
        Route.of("DELETE", series + "/instances/(?<instance>" + Route.UID + ")",
            new DeleteEndpoint(delete)),
        Route.of("GET", study, new WadoEndpoint(retrieve, WadoEndpoint.Level.STUDY)),
        Route.of("GET", series, new WadoEndpoint(retrieve, WadoEndpoint.Level.SERIES)),
        Route.of("GET", series + "/instances/(?<instance>" + Route.UID + ")",
            new WadoEndpoint(retrieve, WadoEndpoint.Level.INSTANCE)));
    List<Route> all = new ArrayList<>(withRendering(routes, retrieve, series));
    all.addAll(extendedQueryTags(extendedTags));
    // A stop lets the requests under way finish (a STOW being uploaded is answered), for up to STOP_GRACE_MS, and
    // answers new ones 503; it used to cut them off unanswered, their stored instances unreported.
    GracefulHandler graceful = new GracefulHandler(new Router(all, config.http().publicBaseUrl(),
        new Authenticator(config.security()), audit, config.http().maxRequestBytes(), partitions::exists,
        crossOrigin));
    server.setHandler(graceful);
    server.setStopTimeout(STOP_GRACE_MS);
  }

  /** What both connectors share. */
  static HttpConfiguration httpConfiguration(AtriumConfig.Http http) {
    HttpConfiguration config = new HttpConfiguration();
    config.setRequestHeaderSize(http.maxHeaderBytes());
    config.setSendServerVersion(false);
    return config;
  }

  /** WADO-RS rendered and thumbnail resources (PS3.18 10.4.1.1.3-4) and WADO-URI (PS3.18 9), on one render path. */
  private static List<Route> withRendering(List<Route> routes, RetrieveService retrieve, String series) {
    RenderService render = new RenderService(retrieve);
    String study = series.substring(0, series.indexOf("/series/"));
    String instance = series + "/instances/(?<instance>" + Route.UID + ")";
    String frame = instance + "/frames/(?<frames>[^/]+)";
    List<Route> all = new ArrayList<>(routes);
    all.add(Route.of("GET", instance + "/rendered", new RenderedEndpoint(render, retrieve, Target.INSTANCE, false)));
    all.add(Route.of("GET", instance + "/thumbnail", new RenderedEndpoint(render, retrieve, Target.INSTANCE, true)));
    all.add(Route.of("GET", frame + "/rendered", new RenderedEndpoint(render, retrieve, Target.FRAME, false)));
    all.add(Route.of("GET", frame + "/thumbnail", new RenderedEndpoint(render, retrieve, Target.FRAME, true)));
    all.add(Route.of("GET", series + "/thumbnail", new RenderedEndpoint(render, retrieve, Target.SERIES, true)));
    all.add(Route.of("GET", study + "/thumbnail", new RenderedEndpoint(render, retrieve, Target.STUDY, true)));
    all.add(Route.of("GET", "/wado", new WadoUriEndpoint(render, retrieve)));
    return all;
  }

  /** The Azure DICOM service's extended query tag API and its operations. */
  private static List<Route> extendedQueryTags(ExtendedQueryTagService tags) {
    String tag = "/dicom-web/extendedquerytags/(?<tag>[^/]+)";
    return List.of(
        Route.of("POST", "/dicom-web/extendedquerytags", tags(tags, ExtendedQueryTagEndpoint.Action.ADD)),
        Route.of("GET", "/dicom-web/extendedquerytags", tags(tags, ExtendedQueryTagEndpoint.Action.LIST)),
        Route.of("GET", tag, tags(tags, ExtendedQueryTagEndpoint.Action.GET)),
        Route.of("PATCH", tag, tags(tags, ExtendedQueryTagEndpoint.Action.PATCH)),
        Route.of("DELETE", tag, tags(tags, ExtendedQueryTagEndpoint.Action.DELETE)),
        Route.of("GET", tag + "/errors", tags(tags, ExtendedQueryTagEndpoint.Action.ERRORS)),
        Route.of("GET", "/dicom-web/operations/(?<operation>[^/]+)", new OperationEndpoint(tags)));
  }

  private static ExtendedQueryTagEndpoint tags(ExtendedQueryTagService tags, ExtendedQueryTagEndpoint.Action action) {
    return new ExtendedQueryTagEndpoint(tags, action);
  }

  private static ChangeFeedEndpoint changeFeed(ChangeFeedService feed, RetrieveService retrieve,
      ChangeFeedEndpoint.Shape shape) {
    return new ChangeFeedEndpoint(feed, retrieve, shape);
  }

  private static MetadataEndpoint metadata(RetrieveService retrieve, WadoEndpoint.Level level) {
    return new MetadataEndpoint(retrieve, level);
  }

  private static QidoEndpoint qido(QueryEngine query, QueryLevel level) {
    return new QidoEndpoint(query, level);
  }

  public void start() throws Exception {
    server.start();
    log.info("HTTP listening on {}:{} (DICOMweb at /dicom-web)", connector.getHost(), port());
    if (httpsConnector != null) log.info("HTTPS listening on {}:{}", httpsConnector.getHost(), httpsPort());
  }

  /** The HTTPS port, or -1 when TLS is not configured. */
  public int httpsPort() {
    return httpsConnector == null ? -1 : httpsConnector.getLocalPort();
  }

  public int port() {
    return connector.getLocalPort();
  }

  @Override
  public void close() throws Exception {
    server.stop();
  }
}
