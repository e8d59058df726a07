import io.coherence.domain.policy.Action;
import io.coherence.domain.policy.AuthzRules;
import io.coherence.domain.policy.Caller;
import io.coherence.domain.policy.Decision;
import io.coherence.domain.policy.PolicyInput;
import io.coherence.domain.provenance.PolicyTags;
import java.util.Optional;
import java.util.Set;

/**
 * Times the embedded policy engine's decision, the call every read makes before it runs
 * (PolicyEnforcer -> AuthzRules). JDK only: {@code java -cp target/classes perf/PolicyCost.java}.
 * Prints ns per decision for an allowed read and a cross-tenant denial, after warm-up.
 */
public class PolicyCost {

    public static void main(String[] args) {
        AuthzRules rules = new AuthzRules();
        PolicyTags tags = new PolicyTags("benchmarking", "standard-365d", "Restricted-TOS", "US");
        Caller caller = new Caller("analyst", Optional.of("tenant-123"), Set.of("coherence:read"));
        PolicyInput allowed = new PolicyInput(caller, Action.READ, "tenant-123", tags, "US");
        PolicyInput denied = new PolicyInput(caller, Action.READ, "tenant-456", tags, "US");
        long sink = 0;
        for (int i = 0; i < 5_000_000; i++) {
            sink += rules.decide(i % 2 == 0 ? allowed : denied).allowed() ? 1 : 0;
        }
        for (PolicyInput input : new PolicyInput[] {allowed, denied}) {
            int n = 20_000_000;
            long start = System.nanoTime();
            for (int i = 0; i < n; i++) {
                Decision d = rules.decide(input);
                sink += d.allowed() ? 1 : 0;
            }
            double ns = (System.nanoTime() - start) / (double) n;
            System.out.printf("policy decision (%s): %.0f ns%n", input == allowed ? "allowed read" : "cross-tenant denial", ns);
        }
        if (sink == 42) {
            System.out.println();
        }
    }
}
