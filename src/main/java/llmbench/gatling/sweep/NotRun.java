package llmbench.gatling.sweep;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.AppenderBase;

/**
 * A simulation that cannot run (a user's mistake, a server that cannot be used), thrown to Gatling's
 * own launcher ({@code mvn gatling:test}), which ends the JVM with status 1. Its reason is already on
 * the console in one line, so neither Gatling's "Run crashed" log line nor the JVM's uncaught-exception
 * report adds a stack trace for it; any other exception is reported as before.
 */
final class NotRun extends RuntimeException {
  private NotRun(String message) {
    super(message, null, false, false);
  }

  /** The exception to throw; from now on the JVM says nothing more of it when it reaches the top. */
  static NotRun toGatlingsLauncher(String message) {
    Thread.UncaughtExceptionHandler previous = Thread.getDefaultUncaughtExceptionHandler();
    Thread.setDefaultUncaughtExceptionHandler((thread, e) -> {
      if (in(e)) {
        return;
      }
      if (previous != null) {
        previous.uncaughtException(thread, e);
      } else {
        System.err.print("Exception in thread \"" + thread.getName() + "\" ");
        e.printStackTrace();
      }
    });
    return new NotRun(message);
  }

  private static boolean in(Throwable e) {
    for (Throwable c = e; c != null; c = c.getCause()) {
      if (c instanceof NotRun) {
        return true;
      }
    }
    return false;
  }

  /** Gatling's launcher's log (logback.xml): its lines, but none for a simulation that did not run. */
  public static final class Log extends AppenderBase<ILoggingEvent> {
    @Override
    protected void append(ILoggingEvent e) {
      for (IThrowableProxy t = e.getThrowableProxy(); t != null; t = t.getCause()) {
        if (t.getClassName().equals(NotRun.class.getName())) {
          return;
        }
      }
      IThrowableProxy t = e.getThrowableProxy();
      System.err.println(e.getLevel() + " " + e.getLoggerName() + " - " + e.getFormattedMessage()
          + (t == null ? "" : "\n" + ThrowableProxyUtil.asString(t)));
    }
  }
}
