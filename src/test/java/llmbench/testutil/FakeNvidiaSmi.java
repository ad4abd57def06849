package llmbench.testutil;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * A fake nvidia-smi printing the real H100 line (our query shape) every 100 ms, its used memory
 * growing by 10 MiB each time, and one process for --query-compute-apps.
 */
public final class FakeNvidiaSmi {
  private FakeNvidiaSmi() {}

  /** Writes it as {@code dir/nvidia-smi}; returns its path. */
  public static Path write(Path dir) throws IOException {
    Path smi = dir.resolve("nvidia-smi");
    Files.writeString(smi, String.join("\n",
        "#!/usr/bin/env bash",
        "if [[ \"$*\" == *query-compute-apps* ]]; then echo '505, python3, 8634'; exit 0; fi",
        "used=1000",
        "while true; do",
        "  echo \"$(date '+%Y/%m/%d %H:%M:%S.%3N'), 0, NVIDIA H100 80GB HBM3, $used, 81559, 35, 250.10\"",
        "  used=$((used + 10)); sleep 0.1",
        "done", ""));
    Files.setPosixFilePermissions(smi, PosixFilePermissions.fromString("rwxr-xr-x"));
    return smi;
  }
}
