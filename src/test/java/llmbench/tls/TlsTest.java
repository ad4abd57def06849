package llmbench.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ConnectException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertificateException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.X509ExtendedTrustManager;
import org.junit.jupiter.api.Test;

class TlsTest {
  private static final String HINT = ": give --ca-cert FILE with the CA that signed it (PEM), or --insecure to skip the check";

  @Test
  void aCertificateProblemIsOneLineWithWhatToDo() {
    // as the JDK's HTTP client throws them: the handshake's failure, the trust manager's reason inside
    SSLHandshakeException untrusted = new SSLHandshakeException("PKIX path building failed");
    untrusted.initCause(new CertPathBuilderException("unable to find valid certification path to requested target"));
    assertEquals("its certificate is not signed by a CA this run trusts" + HINT,
        Tls.explain(new IOException("wrapped", untrusted)));
    SSLHandshakeException host = new SSLHandshakeException("No subject alternative names matching IP address 10.0.0.1 found");
    host.initCause(new CertificateException("No subject alternative names matching IP address 10.0.0.1 found"));
    assertEquals("its certificate does not name the host it was reached at (No subject alternative names matching IP "
        + "address 10.0.0.1 found)" + HINT, Tls.explain(host));
    assertNull(Tls.explain(new ConnectException("Connection refused")), "not about TLS: said as before");
  }

  @Test
  void theDefaultChecksTheHostAgainstTheJvmsStoreAndInsecureChecksNothing() {
    assertTrue(Tls.VERIFY.checksHost());
    assertTrue(Tls.VERIFY.trustManager().getClass().getName().startsWith("sun.security."),
        "the JDK's own manager, which checks the host: " + Tls.VERIFY.trustManager().getClass());
    Tls any = new Tls(null, true);
    assertTrue(!any.checksHost());
    // extended, so that the JDK adds no host check of its own around it
    assertTrue(any.trustManager() instanceof X509ExtendedTrustManager);
    assertThrows(IllegalArgumentException.class, () -> new Tls(java.nio.file.Path.of("/nonexistent.pem"), false));
  }
}
