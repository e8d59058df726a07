# Coherence retention rules (issue 15, seed 004): whether a signal of a given age is past its
# tenant's retention tier, with an explanation people can read. The Java twin is
# io.coherence.domain.tenant.TenantDataPolicy#retention; both are held to testdata/retention.json.
#
# Input: {"tier": "short-30d", "legalHold": false, "ageDays": 31.5}
package retention

import rego.v1

days := {"ephemeral-7d": 7, "short-30d": 30, "standard-365d": 365, "long-1825d": 1825}

held if input.legalHold == true

held if input.tier == "legal-hold"

default decision := {"prune": false, "explain": "unknown retention tier; nothing is pruned"}

decision := {"prune": false, "explain": "under legal hold: nothing of the tenant is pruned or erased"} if {
	held
} else := {"prune": true, "explain": sprintf("older than the %d days tier %s keeps", [days[input.tier], input.tier])} if {
	input.ageDays > days[input.tier]
} else := {"prune": false, "explain": sprintf("within the %d days tier %s keeps", [days[input.tier], input.tier])} if {
	days[input.tier]
}
