#!/usr/bin/env python3
"""Query latency client for scripts/bench-query (stdlib only).

QIDO-RS: sequential requests on one keep-alive connection, each with a random existing key
from the loader's sample file; C-FIND: findscu, one association per query, and --repeat inside
one association. Prints one JSON object per measurement on stdout.
"""
import argparse, csv, http.client, json, os, random, statistics, subprocess, sys, time, urllib.parse


def pct(xs, p):
    xs = sorted(xs)
    k = (len(xs) - 1) * p / 100.0
    lo, hi = int(k), min(int(k) + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (k - lo)


def stats(name, secs, counts, errors, **extra):
    ms = [s * 1000 for s in secs]
    d = dict(name=name, n=len(ms), p50_ms=round(pct(ms, 50), 2), p95_ms=round(pct(ms, 95), 2),
             mean_ms=round(statistics.fmean(ms), 2), max_ms=round(max(ms), 2),
             avg_results=round(statistics.fmean(counts), 1) if counts else 0, errors=errors)
    d.update(extra)
    print(json.dumps(d), flush=True)
    return d


def qido(a, rows):
    q = urllib.parse.quote
    queries = {
        'studies?PatientID': lambda r: '/studies?PatientID=' + q(r['patient_id']),
        'studies?StudyDate=month': lambda r: '/studies?StudyDate=' + r['date_range'],
        'studies?PatientName=fuzzy': lambda r: '/studies?PatientName=' + q(r['name_word']) + '&fuzzymatching=true',
        'studies?AccessionNumber': lambda r: '/studies?AccessionNumber=' + q(r['accession']),
        'studies/{s}/series': lambda r: '/studies/%s/series' % r['study_uid'],
        'studies/{s}/series/{s}/instances': lambda r: '/studies/%s/series/%s/instances' % (r['study_uid'],
                                                                                            r['series_uid']),
    }
    u = urllib.parse.urlsplit(a.base)
    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=60)
    rnd = random.Random(a.seed)
    for name, build in queries.items():
        if a.only and name not in a.only.split(','):
            continue
        secs, counts, errors = [], [], 0
        for i in range(a.warmup + a.n):
            path = u.path + build(rnd.choice(rows))
            t0 = time.perf_counter()
            conn.request('GET', path, headers={'Accept': 'application/dicom+json'})
            resp = conn.getresponse()
            body = resp.read()
            dt = time.perf_counter() - t0
            if resp.status not in (200, 204):
                errors += 1
                if errors <= 3:
                    print('%s: HTTP %d %s' % (path, resp.status, body[:300]), file=sys.stderr)
            if i >= a.warmup:
                secs.append(dt)
                counts.append(len(json.loads(body)) if resp.status == 200 and body else 0)
        stats('qido ' + name, secs, counts, errors)
    conn.close()


def changefeed(a):
    """Issue #5: a page of 100 change-feed entries from an offset near the end of the feed."""
    u = urllib.parse.urlsplit(a.base)
    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=60)
    conn.request('GET', u.path + '/changefeed/latest?includeMetadata=false')
    resp = conn.getresponse()
    latest = json.loads(resp.read()).get('Sequence', 0) if resp.status == 200 else 0
    rnd = random.Random(a.seed + 2)
    for name, tmpl in (('changefeed v1 page of 100 near the end', '/changefeed?offset=%d&limit=100&includeMetadata=false'),
                       ('changefeed v2 page of 100 near the end',
                        '/v2/changefeed?offset=%d&limit=100&includeMetadata=false')):
        secs, counts, errors = [], [], 0
        for i in range(a.warmup + a.n):
            offset = max(0, latest - 100 - rnd.randrange(0, 10000))
            t0 = time.perf_counter()
            conn.request('GET', u.path + tmpl % offset)
            resp = conn.getresponse()
            body = resp.read()
            dt = time.perf_counter() - t0
            if resp.status != 200:
                errors += 1
                if errors <= 3:
                    print('%s: HTTP %d %s' % (tmpl % offset, resp.status, body[:300]), file=sys.stderr)
            if i >= a.warmup:
                secs.append(dt)
                counts.append(len(json.loads(body)) if resp.status == 200 else 0)
        stats(name, secs, counts, errors, latest_sequence=latest)
    conn.close()


def cfind(a, rows):
    base = ['findscu', '-S', '-v', '-aet', 'BENCHSCU', '-aec', a.aec]
    keys = ['-k', 'QueryRetrieveLevel=STUDY', '-k', 'StudyInstanceUID', '-k', 'StudyDate', '-k', 'PatientName',
            '-k', 'AccessionNumber', '-k', 'ModalitiesInStudy', '-k', 'NumberOfStudyRelatedInstances',
            '-k', 'StudyDescription']
    env = dict(os.environ, TCP_NODELAY='1')
    rnd = random.Random(a.seed + 1)
    secs, counts, errors = [], [], 0
    for i in range(5 + a.cfind_n):
        pid = rnd.choice(rows)['patient_id']
        cmd = base + keys + ['-k', 'PatientID=' + pid, a.host, str(a.port)]
        t0 = time.perf_counter()
        p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env)
        dt = time.perf_counter() - t0
        out = p.stdout.decode(errors='replace')
        if p.returncode != 0 or 'Final Find Response (Success)' not in out:
            errors += 1
            if errors <= 3:
                print('findscu failed: %s' % out[-400:], file=sys.stderr)
        if i >= 5:
            secs.append(dt)
            counts.append(out.count('(Pending'))
    stats('cfind study PatientID (1 assoc/query)', secs, counts, errors)
    pid = rows[0]['patient_id']
    cmd = base + ['--repeat', str(a.cfind_n)] + keys + ['-k', 'PatientID=' + pid, a.host, str(a.port)]
    t0 = time.perf_counter()
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env)
    el = time.perf_counter() - t0
    n = p.stdout.decode(errors='replace').count('Final Find Response (Success)')
    print(json.dumps(dict(name='cfind study PatientID (--repeat, 1 assoc)', n=n,
                          mean_ms=round(el / max(1, n) * 1000, 2), errors=a.cfind_n - n)), flush=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--keys', required=True)
    ap.add_argument('--base', required=True, help='http://host:port/dicom-web')
    ap.add_argument('--host', default='127.0.0.1')
    ap.add_argument('--port', type=int, required=True, help='DIMSE port')
    ap.add_argument('--aec', default='ATRIUM')
    ap.add_argument('-n', type=int, default=200)
    ap.add_argument('--warmup', type=int, default=10)
    ap.add_argument('--cfind-n', type=int, default=100)
    ap.add_argument('--seed', type=int, default=7)
    ap.add_argument('--only', default='', help='comma list of QIDO query names')
    ap.add_argument('--no-cfind', action='store_true')
    a = ap.parse_args()
    with open(a.keys, newline='', encoding='utf-8') as f:
        rows = list(csv.DictReader(f, delimiter='\t'))
    qido(a, rows)
    changefeed(a)
    if not a.no_cfind:
        cfind(a, rows)


if __name__ == '__main__':
    main()
