#!/usr/bin/env node
// Retrieves rendered images with the npm package dicomweb-client (the client OHIF uses): an
// instance as PNG with a window, as the default media type, its thumbnail, and one frame of a
// multi-frame instance. Prints each image as base64 in one JSON document on stdout for the Java test
// (DicomWebClientTest) to decode and check. Exits 1 on any client error, with the reason on stderr.
//
// Usage: node rendered.js <dicomweb base URL> <spec.json>
// spec.json: { "image": {studyInstanceUID, seriesInstanceUID, sopInstanceUID},
//              "multiFrame": {studyInstanceUID, seriesInstanceUID, sopInstanceUID} }
'use strict';

global.XMLHttpRequest = require('xhr2');
const fs = require('fs');
const { api } = require('dicomweb-client');

/** The client resolves single-part bodies as [ArrayBuffer] (or an ArrayBuffer in older versions). */
function bytes(name, answer) {
  const buffer = Array.isArray(answer) ? answer[0] : answer;
  if (!(buffer instanceof ArrayBuffer)) throw new Error(`${name}: client returned ${typeof buffer}, not an ArrayBuffer`);
  return Buffer.from(buffer).toString('base64');
}

async function main() {
  const [base, specFile] = process.argv.slice(2);
  if (!base || !specFile) throw new Error('usage: node rendered.js <dicomweb base URL> <spec.json>');
  const spec = JSON.parse(fs.readFileSync(specFile, 'utf8'));
  const client = new api.DICOMwebClient({ url: base, verbose: false });
  const png = [{ mediaType: 'image/png' }];
  const out = {};
  out.png = bytes('retrieveInstanceRendered png', await client.retrieveInstanceRendered({
    ...spec.image, mediaTypes: png, queryParams: { window: '0,400,linear-exact' } }));
  out.default = bytes('retrieveInstanceRendered', await client.retrieveInstanceRendered({ ...spec.image }));
  out.thumbnail = bytes('retrieveInstanceThumbnail', await client.retrieveInstanceThumbnail({
    ...spec.image, mediaTypes: [{ mediaType: 'image/jpeg' }], queryParams: { viewport: '32,32' } }));
  out.frame2 = bytes('retrieveInstanceFramesRendered', await client.retrieveInstanceFramesRendered({
    ...spec.multiFrame, frameNumbers: [2], mediaTypes: png, queryParams: { window: '2000,4000,linear-exact' } }));
  process.stdout.write(JSON.stringify(out) + '\n');
}

main().catch(error => {
  const status = error && error.status !== undefined ? ` (HTTP ${error.status})` : '';
  process.stderr.write(`dicomweb-client failed: ${error && error.stack ? error.stack : error}${status}\n`);
  process.exit(1);
});
