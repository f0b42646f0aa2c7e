// OHIF Viewer 3.x configuration for an Atrium archive: put it in place of the app's app-config.js.
// Atrium must allow the viewer's origin: ATRIUM_HTTP_CORS_ALLOWED_ORIGINS=http://localhost:3000
// (the origin the viewer is served from). Change http://localhost:8080 where the archive is elsewhere.
// OhifViewerTest runs OHIF with this very file.
window.config = {
  routerBasename: '/',
  extensions: [],
  modes: [],
  showStudyList: true,
  maxNumberOfWebWorkers: 3,
  showWarningMessageForCrossOrigin: false,
  showCPUFallbackMessage: true,
  defaultDataSourceName: 'atrium',
  dataSources: [
    {
      namespace: '@ohif/extension-default.dataSourcesModule.dicomweb',
      sourceName: 'atrium',
      configuration: {
        friendlyName: 'Atrium',
        name: 'atrium',
        wadoUriRoot: 'http://localhost:8080/wado',
        qidoRoot: 'http://localhost:8080/dicom-web',
        wadoRoot: 'http://localhost:8080/dicom-web',
        qidoSupportsIncludeField: true,
        imageRendering: 'wadors',
        thumbnailRendering: 'thumbnail',
        thumbnailRequestStrategy: 'fetch',
        enableStudyLazyLoad: true,
        supportsFuzzyMatching: false,
        supportsWildcard: true,
        staticWado: false,
        singlepart: 'bulkdata,video',
        omitQuotationForMultipartRequest: true,
      },
    },
  ],
};
