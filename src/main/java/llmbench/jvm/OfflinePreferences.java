package llmbench.jvm;

import java.util.HashMap;
import java.util.Map;
import java.util.prefs.AbstractPreferences;
import java.util.prefs.Preferences;
import java.util.prefs.PreferencesFactory;

/**
 * Java preferences held in memory for the client JVM ({@code -Djava.util.prefs.PreferencesFactory},
 * in bin/client-jvm.args). Gatling 3.15 asks Maven Central for its latest release at the start of every
 * run ({@code LatestGatlingRelease}: https://repo1.maven.org/.../maven-metadata.xml) unless its
 * preferences hold a check that is still fresh: on an offline GPU server that is a connection out at
 * each run, and the first run writes a preferences folder into the user's home (the JDK says so on
 * the console). Here nothing is written, and the check is always fresh and unsuccessful, so Gatling
 * neither connects nor prints a version warning.
 */
public final class OfflinePreferences implements PreferencesFactory {
  /** Where Gatling keeps its check, and its keys (gatling-commons 3.15.1). */
  static final String GATLING_NODE = "/io/gatling/latestVersion";
  private static final Preferences USER = seeded(new Node(null, ""));
  private static final Preferences SYSTEM = new Node(null, "");

  @Override
  public Preferences userRoot() {
    return USER;
  }

  @Override
  public Preferences systemRoot() {
    return SYSTEM;
  }

  private static Preferences seeded(Preferences root) {
    Preferences gatling = root.node(GATLING_NODE);
    // far in the future: "now - lastCheck" stays below any maximum age
    gatling.putLong("lastCheckTimestamp", Long.MAX_VALUE / 2);
    gatling.putBoolean("lastCheckSuccess", false);
    return root;
  }

  /** A node whose values and children live in memory for the JVM's life. */
  private static final class Node extends AbstractPreferences {
    private final Map<String, String> values = new HashMap<>();
    private final Map<String, Node> children = new HashMap<>();

    Node(Node parent, String name) {
      super(parent, name);
    }

    @Override
    protected void putSpi(String key, String value) {
      values.put(key, value);
    }

    @Override
    protected String getSpi(String key) {
      return values.get(key);
    }

    @Override
    protected void removeSpi(String key) {
      values.remove(key);
    }

    @Override
    protected void removeNodeSpi() {
      ((Node) parent()).children.remove(name());
    }

    @Override
    protected String[] keysSpi() {
      return values.keySet().toArray(String[]::new);
    }

    @Override
    protected String[] childrenNamesSpi() {
      return children.keySet().toArray(String[]::new);
    }

    @Override
    protected AbstractPreferences childSpi(String name) {
      return children.computeIfAbsent(name, n -> new Node(this, n));
    }

    @Override
    protected void syncSpi() {
    }

    @Override
    protected void flushSpi() {
    }
  }
}
