#!/usr/bin/env node
// Drives an archive's DICOMweb with the npm package dicomweb-client (the client OHIF uses), the way
// a viewer does: study searches, then for each study found its series, each series' instances and
// each instance's bytes. Prints what the client saw as one JSON document on stdout; the Java test
// (DicomWebClientTest) asserts on it. Exits 1 on any client error, with the reason on stderr.
//
// Usage: node qido.js <dicomweb base URL> <spec.json>
// spec.json: {
//   "studySearches": { "<name>": { <queryParams as passed to searchForStudies> }, ... },
//   "walk": "<name of the study search whose studies are walked down to series, instances, bytes>",
//   "seriesSearch": { <queryParams for searchForSeries without a study, optional> },
//   "instanceSearch": { <queryParams for searchForInstances without a study, optional> },
//   "frames": [ { "studyInstanceUID", "seriesInstanceUID", "sopInstanceUID", "frameNumbers": [1, 3],
//                 "mediaTypes": [ { "mediaType", "transferSyntaxUID" } ] (optional) }, ... ]
// }
'use strict';

// dicomweb-client speaks through the browser's XMLHttpRequest; under Node xhr2 provides it. It must be
// global before the first request (the UMD build looks the name up when it creates a request).
global.XMLHttpRequest = require('xhr2');
const fs = require('fs');
const { api } = require('dicomweb-client');

const TAG = {
  PatientName: '00100010', PatientID: '00100020', StudyInstanceUID: '0020000D', SeriesInstanceUID: '0020000E',
  SOPInstanceUID: '00080018', ModalitiesInStudy: '00080061', Modality: '00080060', StudyDate: '00080020',
  NumberOfStudyRelatedSeries: '00201206', NumberOfStudyRelatedInstances: '00201208',
  NumberOfSeriesRelatedInstances: '00201209', RetrieveURL: '00081190',
};

/** Structural problems a DICOM JSON consumer (dcmjs's naturalizer in OHIF) would trip over (PS3.18 F.2). */
const problems = [];

function check(where, dataset) {
  if (dataset === null || typeof dataset !== 'object' || Array.isArray(dataset)) {
    problems.push(`${where}: not a DICOM JSON object: ${JSON.stringify(dataset)}`);
    return;
  }
  for (const [tag, element] of Object.entries(dataset)) {
    if (!/^[0-9A-F]{8}$/.test(tag)) problems.push(`${where}: key ${tag} is not 8 upper-case hex digits`);
    if (!element || typeof element.vr !== 'string' || !/^[A-Z]{2}$/.test(element.vr)) {
      problems.push(`${where} ${tag}: no two-letter vr`);
      continue;
    }
    if ('Value' in element) {
      if (!Array.isArray(element.Value) || element.Value.length === 0) {
        problems.push(`${where} ${tag}: Value must be a non-empty array`);
      } else if (element.vr === 'PN') {
        for (const v of element.Value) {
          if (v !== null && (typeof v !== 'object' || Object.keys(v).some(k => !['Alphabetic', 'Ideographic',
            'Phonetic'].includes(k)))) problems.push(`${where} ${tag}: PN value ${JSON.stringify(v)}`);
        }
      } else if (element.vr === 'SQ') {
        element.Value.forEach((item, i) => check(`${where} ${tag}[${i}]`, item));
      }
    }
  }
}

/** A QIDO answer as the client returns it: must be an array (xhr2 gives null for a body that is not JSON). */
function results(where, answer) {
  if (!Array.isArray(answer)) throw new Error(`${where}: client returned ${JSON.stringify(answer)}, not an array`);
  answer.forEach((dataset, i) => check(`${where}[${i}]`, dataset));
  return answer;
}

function values(dataset, tag) {
  const element = dataset[tag];
  return element && Array.isArray(element.Value) ? element.Value : [];
}

function first(dataset, tag) {
  const v = values(dataset, tag)[0];
  if (v && typeof v === 'object') return v.Alphabetic === undefined ? null : v.Alphabetic;
  return v === undefined ? null : v;
}

function study(dataset) {
  return {
    studyInstanceUID: first(dataset, TAG.StudyInstanceUID),
    patientName: first(dataset, TAG.PatientName),
    patientId: first(dataset, TAG.PatientID),
    studyDate: first(dataset, TAG.StudyDate),
    modalitiesInStudy: values(dataset, TAG.ModalitiesInStudy),
    numberOfStudyRelatedSeries: first(dataset, TAG.NumberOfStudyRelatedSeries),
    numberOfStudyRelatedInstances: first(dataset, TAG.NumberOfStudyRelatedInstances),
    retrieveURL: first(dataset, TAG.RetrieveURL),
  };
}

async function main() {
  const [base, specFile] = process.argv.slice(2);
  if (!base || !specFile) throw new Error('usage: node qido.js <dicomweb base URL> <spec.json>');
  const spec = JSON.parse(fs.readFileSync(specFile, 'utf8'));
  const client = new api.DICOMwebClient({ url: base, verbose: false });
  const out = { clientVersion: require('dicomweb-client/package.json').version, studySearches: {}, studies: [] };

  for (const [name, queryParams] of Object.entries(spec.studySearches || {})) {
    out.studySearches[name] = results(`searchForStudies ${name}`, await client.searchForStudies({ queryParams }))
      .map(study);
  }
  for (const found of out.studySearches[spec.walk] || []) {
    const studyInstanceUID = found.studyInstanceUID;
    const walked = { studyInstanceUID, series: [] };
    const series = results(`searchForSeries ${studyInstanceUID}`, await client.searchForSeries({ studyInstanceUID }));
    for (const s of series) {
      const seriesInstanceUID = first(s, TAG.SeriesInstanceUID);
      const instances = results(`searchForInstances ${seriesInstanceUID}`,
        await client.searchForInstances({ studyInstanceUID, seriesInstanceUID }));
      const walkedSeries = {
        seriesInstanceUID,
        modality: first(s, TAG.Modality),
        numberOfSeriesRelatedInstances: first(s, TAG.NumberOfSeriesRelatedInstances),
        instances: [],
      };
      for (const i of instances) {
        const sopInstanceUID = first(i, TAG.SOPInstanceUID);
        const part = await client.retrieveInstance({ studyInstanceUID, seriesInstanceUID, sopInstanceUID });
        if (!(part instanceof ArrayBuffer)) throw new Error(`retrieveInstance ${sopInstanceUID}: no part returned`);
        const bytes = new Uint8Array(part);
        walkedSeries.instances.push({
          sopInstanceUID,
          retrieveURL: first(i, TAG.RetrieveURL),
          bytes: bytes.length,
          // A Part 10 file: 128-byte preamble, then "DICM".
          dicm: Buffer.from(bytes.subarray(128, 132)).toString('latin1') === 'DICM',
          contentType: part.contentType || null,
          transferSyntaxUID: part.transferSyntaxUID || null,
        });
      }
      walked.series.push(walkedSeries);
    }
    walked.studyLevelInstances = results(`searchForInstances study ${studyInstanceUID}`,
      await client.searchForInstances({ studyInstanceUID })).map(i => first(i, TAG.SOPInstanceUID));
    out.studies.push(walked);
  }
  if (spec.seriesSearch) {
    out.seriesSearch = results('searchForSeries', await client.searchForSeries({ queryParams: spec.seriesSearch }))
      .map(s => ({ seriesInstanceUID: first(s, TAG.SeriesInstanceUID), studyInstanceUID: first(s, TAG.StudyInstanceUID),
        modality: first(s, TAG.Modality) }));
  }
  if (spec.instanceSearch) {
    out.instanceSearch = results('searchForInstances',
      await client.searchForInstances({ queryParams: spec.instanceSearch })).map(i => first(i, TAG.SOPInstanceUID));
  }
  out.frames = [];
  for (const request of spec.frames || []) {
    // retrieveInstanceFrames answers with one ArrayBuffer per frame, in the order asked.
    const parts = await client.retrieveInstanceFrames(request);
    if (!Array.isArray(parts)) throw new Error(`retrieveInstanceFrames ${request.sopInstanceUID}: not a list of parts`);
    out.frames.push({
      sopInstanceUID: request.sopInstanceUID,
      parts: parts.map(part => ({
        bytes: part.byteLength,
        sha256: require('crypto').createHash('sha256').update(Buffer.from(part)).digest('hex'),
      })),
    });
  }
  out.problems = problems;
  process.stdout.write(JSON.stringify(out, null, 2) + '\n');
}

main().catch(error => {
  const status = error && error.status !== undefined ? ` (HTTP ${error.status}: ${JSON.stringify(error.response)})` : '';
  process.stderr.write(`dicomweb-client failed: ${error && error.stack ? error.stack : error}${status}\n`);
  process.exit(1);
});
