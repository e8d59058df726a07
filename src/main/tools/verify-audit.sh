#!/usr/bin/env bash
# Verifies a Coherence erasure audit package offline: a compact JWS (RS256) checked against the
# service's public key, with openssl alone. Prints "valid" and exits 0, or prints "INVALID" and
# exits 1; exits 2 when it cannot check (usage, unreadable input, not a compact JWS, not RS256).
#
#   verify-audit.sh PACKAGE.jws AUDIT-PUBLIC-KEY.pem [PAYLOAD-OUT.json]
#
# PACKAGE.jws holds the erasure request's auditSignature; the PEM comes from
# GET /v1/coherence/audit/keys/<kid>.pem (the kid is in the package's header, printed below).
# With PAYLOAD-OUT.json, a valid package's payload (the audit JSON) is written there.
set -euo pipefail

usage() { echo "usage: $0 PACKAGE.jws AUDIT-PUBLIC-KEY.pem [PAYLOAD-OUT.json]" >&2; exit 2; }
[ $# -ge 2 ] && [ $# -le 3 ] || usage
jws_file=$1 pem=$2 out=${3:-}
[ -r "$jws_file" ] || { echo "cannot read $jws_file" >&2; exit 2; }
[ -r "$pem" ] || { echo "cannot read $pem" >&2; exit 2; }
command -v openssl >/dev/null || { echo "openssl is needed" >&2; exit 2; }
openssl pkey -pubin -in "$pem" -noout 2>/dev/null || { echo "$pem is not a PEM public key" >&2; exit 2; }

# base64url (no padding) to bytes.
b64url_decode() {
  local s
  s=$(printf '%s' "$1" | tr '_-' '/+')
  case $(( ${#s} % 4 )) in
    2) s="$s==" ;;
    3) s="$s=" ;;
    1) return 1 ;;
  esac
  printf '%s' "$s" | openssl base64 -d -A
}

jws=$(tr -d ' \t\r\n' < "$jws_file")
IFS=. read -r header payload signature rest <<< "$jws" || true
if [ -z "${header:-}" ] || [ -z "${payload:-}" ] || [ -z "${signature:-}" ] || [ -n "${rest:-}" ] \
    || [[ ! "$header$payload$signature" =~ ^[A-Za-z0-9_-]+$ ]]; then
  echo "$jws_file is not a compact JWS (header.payload.signature, base64url)" >&2
  exit 2
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
header_json=$(b64url_decode "$header") || { echo "the JWS header is not base64url" >&2; exit 2; }
if [[ ! "$header_json" =~ \"alg\"[[:space:]]*:[[:space:]]*\"RS256\" ]]; then
  echo "the JWS is not RS256: $header_json" >&2
  exit 2
fi
kid=$(printf '%s' "$header_json" | sed -n 's/.*"kid"[[:space:]]*:[[:space:]]*"\([^"]*\)".*/\1/p')
b64url_decode "$signature" > "$work/signature.bin" || { echo "the JWS signature is not base64url" >&2; exit 2; }
# RS256 signs the ASCII bytes "header.payload" exactly as they appear in the JWS.
printf '%s.%s' "$header" "$payload" > "$work/signing-input"

if openssl dgst -sha256 -verify "$pem" -signature "$work/signature.bin" "$work/signing-input" > /dev/null 2>&1; then
  if [ -n "$out" ]; then
    b64url_decode "$payload" > "$out"
  fi
  echo "valid: $jws_file is signed by audit key ${kid:-(no kid)} ($pem)"
else
  echo "INVALID: $jws_file does not verify with $pem (audit key ${kid:-(no kid)}): altered, or signed by another key"
  exit 1
fi
