package llmbench.testutil;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Test hosts on one machine: a bridge with this host at {@link #HOST} and N network namespaces, each
 * with its own address, loopback and network stack, as separate machines on one LAN would be. Needs
 * root and iproute2 ({@link #make} returns null otherwise: the caller falls back to loopback).
 */
public final class NetHosts implements AutoCloseable {
  public static final String HOST = "10.231.0.1";
  private static final String BRIDGE = "llmb-br";
  private final List<String> names = new ArrayList<>();

  private NetHosts() {}

  /** N namespaces on a fresh bridge, or null where they cannot be made (not root, no iproute2). */
  public static NetHosts make(int n) {
    NetHosts h = new NetHosts();
    try {
      run("ip", "link", "del", BRIDGE); // a bridge an earlier run left (may fail: none)
    } catch (RuntimeException ignored) {
      // nothing to remove
    }
    try {
      run("ip", "link", "add", BRIDGE, "type", "bridge");
      run("ip", "addr", "add", HOST + "/24", "dev", BRIDGE);
      run("ip", "link", "set", BRIDGE, "up");
      for (int i = 0; i < n; i++) {
        String ns = "llmb-h" + i;
        try {
          run("ip", "netns", "del", ns);
        } catch (RuntimeException ignored) {
          // none left
        }
        run("ip", "netns", "add", ns);
        h.names.add(ns);
        run("ip", "link", "add", "llmb-v" + i, "type", "veth", "peer", "name", "eth0", "netns", ns);
        run("ip", "link", "set", "llmb-v" + i, "master", BRIDGE, "up");
        run("ip", "netns", "exec", ns, "ip", "addr", "add", address(i) + "/24", "dev", "eth0");
        run("ip", "netns", "exec", ns, "ip", "link", "set", "eth0", "up");
        run("ip", "netns", "exec", ns, "ip", "link", "set", "lo", "up");
      }
      return h;
    } catch (RuntimeException e) {
      h.close();
      return null;
    }
  }

  /** Host i's address on the bridge. */
  public static String address(int i) {
    return "10.231.0." + (10 + i);
  }

  /** {@code cmd} run inside host i. */
  public List<String> in(int i, List<String> cmd) {
    List<String> c = new ArrayList<>(List.of("ip", "netns", "exec", names.get(i)));
    c.addAll(cmd);
    return c;
  }

  private static void run(String... cmd) {
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IllegalStateException(String.join(" ", cmd) + ": " + new String(p.getInputStream().readAllBytes()));
      }
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    for (String ns : names) {
      try {
        run("ip", "netns", "del", ns);
      } catch (RuntimeException ignored) {
        // already gone
      }
    }
    try {
      run("ip", "link", "del", BRIDGE);
    } catch (RuntimeException ignored) {
      // already gone
    }
  }
}
