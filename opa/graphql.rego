# Coherence access rules, evaluated by OPA (COHERENCE_POLICY_ENGINE=opa asks for
# data.graphql.decision). The Java twin, io.coherence.domain.policy.AuthzRules, evaluates the same
# rules in-process (the default engine); both are held to testdata/decisions.json.
#
# Input:
#   {"user": {"subject": "…", "tenant": "…", "scope": ["coherence:read", …]},
#    "action": "read" | "write" | "admin" | "govern",
#    "resource": {"tenantId": "…"},
#    "tags": {"purpose": "…", "retention": "…", "license": "…", "residency": "US"},
#    "deployment": {"region": "US"}}
package graphql

import rego.v1

default allow := false

default allow_write := false

default allow_admin := false

default allow_govern := false

scope_for := {"read": "coherence:read", "write": "coherence:write", "admin": "coherence:admin", "govern": "coherence:admin"}

has_scope(scope) if scope in input.user.scope

has_tenant if "tenant" in object.keys(input.user)

same_tenant if input.user.tenant == input.resource.tenantId

resident if input.tags.residency == input.deployment.region

# The seed's rule: read your own tenant with coherence:read.
allow if {
	input.action == "read"
	same_tenant
	has_scope("coherence:read")
	resident
}

# The seed's rule: write your own tenant with coherence:write.
allow_write if {
	input.action == "write"
	same_tenant
	has_scope("coherence:write")
	resident
}

# Governing your own tenant's data (data policy, retention runs, erasure, ledger checks) with
# coherence:admin.
allow_govern if {
	input.action == "govern"
	same_tenant
	has_scope("coherence:admin")
	resident
}

# Operator work across tenants (dead-letter replay) with coherence:admin.
allow_admin if {
	input.action == "admin"
	has_scope("coherence:admin")
	resident
}

# Why a request is denied: the first rule that fails, in this order.
denial := "token_without_tenant" if {
	input.action != "admin"
	not has_tenant
} else := "cross_tenant" if {
	input.action != "admin"
	not same_tenant
} else := sprintf("missing_scope_%s", [scope_for[input.action]]) if {
	not has_scope(scope_for[input.action])
} else := "residency_mismatch" if {
	not resident
}

default decision := {"allow": false, "rule": "no_rule_matched"}

decision := {"allow": true, "rule": "graphql.allow"} if {
	allow
} else := {"allow": true, "rule": "graphql.allow_write"} if {
	allow_write
} else := {"allow": true, "rule": "graphql.allow_admin"} if {
	allow_admin
} else := {"allow": true, "rule": "graphql.allow_govern"} if {
	allow_govern
} else := {"allow": false, "rule": denial} if {
	denial
}
