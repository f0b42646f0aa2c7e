#!/usr/bin/env bash
# Sends DICOM files to Atrium with STOW-RS (PS3.18 10.5), streaming the multipart body from disk.
#   samples/stow-request.sh [BASE_URL] FILE...     (default base http://localhost:8080/dicom-web)
set -euo pipefail
base=http://localhost:8080/dicom-web
case "${1:-}" in http*) base=$1; shift ;; esac
[ $# -gt 0 ] || set -- "$(dirname "$0")"/*.dcm
boundary=atrium-$RANDOM$RANDOM
{
  for f in "$@"; do
    printf -- '--%s\r\nContent-Type: application/dicom\r\n\r\n' "$boundary"
    cat "$f"
    printf '\r\n'
  done
  printf -- '--%s--\r\n' "$boundary"
} | curl -sS -X POST -T - -H 'Transfer-Encoding: chunked' \
    -H "Content-Type: multipart/related; type=\"application/dicom\"; boundary=$boundary" \
    -H 'Accept: application/dicom+json' -w '\nHTTP %{http_code}\n' "$base/studies"
