package retention_test

import rego.v1

import data.retention

# The retention table both engines are held to (testdata/retention.json, loaded as data.testdata).
matches(row) if {
	retention.decision == row.expect with input as row.input
}

failures contains row.name if {
	some row in data.testdata.retention
	not matches(row)
}

test_retention_table if {
	count(data.testdata.retention) >= 10
	print("retention table rows failing:", failures)
	count(failures) == 0
}
