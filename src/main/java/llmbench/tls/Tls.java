package llmbench.tls;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Collection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * How an {@code https://} server is trusted: by default its certificate must chain to the JVM's trust
 * store and name the host it was reached at (the API key goes out as a bearer token: to the server
 * meant, and no other); {@code caCert} trusts that CA instead (PEM, as curl's {@code --cacert}: the
 * JVM's store is then not used); {@code insecure} checks nothing (curl's {@code -k}).
 */
public record Tls(Path caCert, boolean insecure) {
  public static final Tls VERIFY = new Tls(null, false);

  public Tls {
    if (caCert != null && insecure) {
      throw new IllegalArgumentException("--ca-cert trusts one CA, --insecure trusts any certificate: give one of them");
    }
    if (caCert != null) {
      certificates(caCert); // a file that is not a certificate is the user's mistake, said now
    }
  }

  /** The certificates of a PEM (or DER) file; one line naming the file when it has none. */
  static Collection<? extends Certificate> certificates(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException("--ca-cert " + file + ": no such file");
    }
    try (InputStream in = Files.newInputStream(file)) {
      Collection<? extends Certificate> certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
      if (certs.isEmpty()) {
        throw new CertificateException("no certificate in it");
      }
      return certs;
    } catch (IOException | CertificateException e) {
      throw new IllegalArgumentException("--ca-cert " + file + ": not a certificate (PEM or DER): " + e.getMessage());
    }
  }

  /** Whether the server's name is checked against its certificate (not with {@code insecure}). */
  public boolean checksHost() {
    return !insecure;
  }

  /** What decides whether a certificate is trusted. */
  public TrustManager trustManager() {
    if (insecure) {
      return TRUST_ANY;
    }
    try {
      TrustManagerFactory f = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      if (caCert == null) {
        f.init((KeyStore) null); // the JVM's trust store
      } else {
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        int i = 0;
        for (Certificate c : certificates(caCert)) {
          store.setCertificateEntry("ca-" + i++, c);
        }
        f.init(store);
      }
      for (TrustManager t : f.getTrustManagers()) {
        if (t instanceof X509TrustManager) {
          return t;
        }
      }
      throw new IllegalStateException("the JVM offers no X.509 trust manager");
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot set up TLS trust: " + e.getMessage(), e);
    }
  }

  /** The JDK's HTTP client's context (it checks the host itself, unless the trust manager is {@link #TRUST_ANY}). */
  public SSLContext sslContext() {
    try {
      SSLContext c = SSLContext.getInstance("TLS");
      c.init(null, new TrustManager[] {trustManager()}, null);
      return c;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot set up TLS: " + e.getMessage(), e);
    }
  }

  /**
   * A failed connection's certificate problem in one line, with what to do about it; null when the
   * failure was not about TLS.
   */
  public static String explain(Throwable failure) {
    for (Throwable e = failure; e != null; e = e.getCause()) {
      if (e instanceof SSLException || e instanceof CertificateException) {
        String m = String.valueOf(deepest(e).getMessage());
        String what = m.contains("unable to find valid certification path") || m.contains("PKIX path")
            ? "its certificate is not signed by a CA this run trusts"
            : m.contains("No subject alternative") || m.contains("No name matching")
                ? "its certificate does not name the host it was reached at (" + m + ")"
                : m.contains("expired") || m.contains("NotAfter") ? "its certificate has expired (" + m + ")"
                    : "TLS failed (" + m + ")";
        return what + ": give --ca-cert FILE with the CA that signed it (PEM), or --insecure to skip the check";
      }
    }
    return null;
  }

  private static Throwable deepest(Throwable e) {
    Throwable d = e;
    while (d.getCause() != null && d.getCause() != d) {
      d = d.getCause();
    }
    return d;
  }

  /** Trusts any certificate and names no host: an extended manager, so that the JDK adds no host check of its own. */
  private static final X509ExtendedTrustManager TRUST_ANY = new X509ExtendedTrustManager() {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) { }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) { }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) { }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) { }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) { }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) { }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  };
}
