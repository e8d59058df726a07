package graphql_test

import rego.v1

import data.graphql

us_input(user, action, tenant) := {
	"user": user,
	"action": action,
	"resource": {"tenantId": tenant},
	"tags": {"purpose": "benchmarking", "retention": "standard-365d", "license": "Restricted-TOS", "residency": "US"},
	"deployment": {"region": "US"},
}

# The seed's tests.
test_allow_same_tenant_read if {
	graphql.allow with input as us_input({"tenant": "t1", "scope": ["coherence:read"]}, "read", "t1")
}

test_deny_cross_tenant if {
	not graphql.allow with input as us_input({"tenant": "t1", "scope": ["coherence:read"]}, "read", "t2")
}

test_allow_write_same_tenant if {
	graphql.allow_write with input as us_input({"tenant": "t1", "scope": ["coherence:write"]}, "write", "t1")
}

test_read_scope_does_not_write if {
	not graphql.allow_write with input as us_input({"tenant": "t1", "scope": ["coherence:read"]}, "write", "t1")
}

test_unknown_action_is_denied if {
	decision := graphql.decision with input as us_input({"tenant": "t1", "scope": ["coherence:read"]}, "delete", "t1")
	decision.allow == false
}

# The decision table both engines are held to (testdata/decisions.json, loaded as data.testdata).
matches(row) if {
	graphql.decision == row.expect with input as row.input
}

failures contains row.name if {
	some row in data.testdata.decisions
	not matches(row)
}

test_decision_table if {
	count(data.testdata.decisions) >= 30
	print("decision table rows failing:", failures)
	count(failures) == 0
}
