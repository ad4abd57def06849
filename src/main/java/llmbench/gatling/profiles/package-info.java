/**
 * The simulations the scripts run, one per profile, named as the seed's so that Gatling's run folders
 * and reports carry the profile ({@code highload-...}); {@code mvn gatling:test} names their twins
 * in {@code src/test/java}, which the bundle does not carry. The profile each runs is the launcher's job.
 */
package llmbench.gatling.profiles;
