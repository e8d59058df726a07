# Sourced, not run: sets the variables the runbooks' commands use from a running dev stack
# (target/devstack/devstack.json, written by `mvn -Pdev`), leaving any variable already set alone.
#
#   source docs/runbooks/devstack-env.sh        # from the repository's root
#
# BASE         the service, e.g. http://localhost:9080
# TOKEN        a coherence:read coherence:write token for TENANT (the stack's token.txt)
# ADMIN_TOKEN  a coherence:admin token for TENANT, signed with the stack's key (openssl, 12 h)
# TENANT       the tenant the tokens act for (tenant-123)
# SERVER_DIR   the Liberty server directory (configDropins/, logs/messages.log)
# PGURL        libpq URL of the stack's PostgreSQL, for psql
# KAFKA_BOOTSTRAP  the broker, when the stack was started with -Dkafka=true
# COHERENCE_DEVSTACK names another descriptor. Needs jq and openssl.

_rb_stack=${COHERENCE_DEVSTACK:-target/devstack/devstack.json}
if [ ! -f "$_rb_stack" ]; then
  echo "devstack-env.sh: no $_rb_stack (start the dev stack with mvn -Pdev, or set the variables yourself)" >&2
  return 1 2>/dev/null || exit 1
fi
_rb() { jq -r "$1 // empty" "$_rb_stack"; }

BASE=${BASE:-$(_rb '.graphqlUrl | sub("/graphql$"; "")')}
TOKEN=${TOKEN:-$(cat "$(_rb .tokenFile)")}
TENANT=${TENANT:-tenant-123}
SERVER_DIR=${SERVER_DIR:-$(dirname "$(dirname "$(_rb .libertyLog)")")}
KAFKA_BOOTSTRAP=${KAFKA_BOOTSTRAP:-$(_rb .kafkaBootstrap)}

# The admin token: the claims `mvn -Ptoken` puts in a token, signed (RS256) with the stack's key.
_rb_b64url() { openssl base64 -A | tr '+/' '-_' | tr -d '='; }
if [ -z "${ADMIN_TOKEN:-}" ]; then
  _rb_now=$(date +%s)
  _rb_head=$(printf '{"kid":"dev","typ":"JWT","alg":"RS256"}' | _rb_b64url)
  _rb_claims=$(jq -cn --arg iss "$(_rb .issuer)" --arg aud "$(_rb .audience)" --arg tenant "$TENANT" \
    --argjson now "$_rb_now" \
    '{iss:$iss, aud:$aud, sub:("dev:" + $tenant), tenant:$tenant, scope:"coherence:admin", iat:$now, exp:($now + 43200)}' \
    | _rb_b64url)
  ADMIN_TOKEN=$_rb_head.$_rb_claims.$(printf '%s.%s' "$_rb_head" "$_rb_claims" \
    | openssl dgst -sha256 -sign "$(_rb .signingKey)" -binary | _rb_b64url)
fi

# PGURL from the settings the stack gave Liberty (its configDropins/overrides/stack.xml).
if [ -z "${PGURL:-}" ] && [ -f "$SERVER_DIR/configDropins/overrides/stack.xml" ]; then
  _rb_var() { sed -n "s/.*name=\"$1\" value=\"\([^\"]*\)\".*/\1/p" "$SERVER_DIR/configDropins/overrides/stack.xml"; }
  _rb_jdbc=$(_rb_var POSTGRES_JDBC_URL)
  PGURL="postgresql://$(_rb_var POSTGRES_USER):$(_rb_var POSTGRES_PASSWORD)@${_rb_jdbc#jdbc:postgresql://}"
  unset -f _rb_var
fi

export BASE TOKEN ADMIN_TOKEN TENANT SERVER_DIR PGURL KAFKA_BOOTSTRAP
unset -f _rb _rb_b64url
unset _rb_stack _rb_now _rb_head _rb_claims _rb_jdbc
