package llmbench.server;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Samples GPU memory for the whole sweep with one long-running {@code nvidia-smi -lms} process (one
 * process, not one per sample: cheap for the server's host). No nvidia-smi: {@link #unavailable()}
 * says why, and the sweep goes on.
 */
public final class GpuSampler implements AutoCloseable {
  private final List<GpuSample> samples = new ArrayList<>();
  private final List<List<NvidiaSmi.GpuProcess>> processes = new ArrayList<>();
  private final List<String> command;
  private Process process;
  private Thread reader;
  private String unavailable;

  public GpuSampler(String nvidiaSmi, int intervalMs) {
    List<String> c = new ArrayList<>(NvidiaSmi.GPU_QUERY);
    c.set(0, nvidiaSmi);
    c.add("-lms");
    c.add(Integer.toString(intervalMs));
    this.command = c;
  }

  /** Samples nothing: another process reads this host's GPUs ({@code why} says which). */
  public GpuSampler skip(String why) {
    unavailable = why;
    return this;
  }

  public GpuSampler start() {
    try {
      process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    } catch (IOException e) {
      unavailable = "nvidia-smi not found (" + command.get(0) + "): no GPU memory was recorded";
      return this;
    }
    snapshotProcesses();
    reader = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = r.readLine()) != null; ) {
          GpuSample s = NvidiaSmi.parseGpuLine(line, System.currentTimeMillis());
          if (s != null) {
            synchronized (samples) {
              samples.add(s);
            }
          }
        }
      } catch (IOException ignored) {
        // the process was stopped
      }
    }, "gpu-sampler");
    reader.setDaemon(true);
    reader.start();
    return this;
  }

  /** Per-process GPU memory now (where nvidia-smi shows processes). */
  public void snapshotProcesses() {
    if (unavailable != null) {
      return;
    }
    List<String> c = new ArrayList<>(NvidiaSmi.APPS_QUERY);
    c.set(0, command.get(0));
    try {
      Process p = new ProcessBuilder(c).redirectError(ProcessBuilder.Redirect.DISCARD).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (p.waitFor(10, TimeUnit.SECONDS)) {
        processes.add(NvidiaSmi.parseApps(out));
      }
    } catch (IOException e) {
      // per-process memory is a bonus
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  public String unavailable() {
    return unavailable;
  }

  public List<GpuSample> samples() {
    synchronized (samples) {
      return new ArrayList<>(samples);
    }
  }

  public List<List<NvidiaSmi.GpuProcess>> processSnapshots() {
    return processes;
  }

  @Override
  public void close() {
    if (process != null) {
      snapshotProcesses();
      process.destroy();
      try {
        process.waitFor(5, TimeUnit.SECONDS);
        if (reader != null) {
          reader.join(5000);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      if (samples.isEmpty() && unavailable == null) {
        unavailable = "nvidia-smi gave no readings (exit " + (process.isAlive() ? "?" : process.exitValue())
            + "): no GPU memory was recorded";
      }
    }
  }
}
