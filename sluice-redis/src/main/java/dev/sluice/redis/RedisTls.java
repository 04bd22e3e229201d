package dev.sluice.redis;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;

/** The TLS side of a Redis connection: which CAs to trust, and a host name check Jedis leaves off by default. */
final class RedisTls {

    private RedisTls() {
    }

    /** The server's certificate must name the host the URL names, as HTTPS checks it. */
    static SSLParameters checkingHostName() {
        SSLParameters parameters = new SSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        return parameters;
    }

    /** Sockets that trust the CAs in a PEM file, and only them. */
    static SSLSocketFactory trusting(Path caCertificate) {
        try (InputStream pem = Files.newInputStream(caCertificate)) {
            Collection<? extends Certificate> cas = CertificateFactory.getInstance("X.509")
                    .generateCertificates(pem);
            if (cas.isEmpty()) {
                throw new IllegalArgumentException("caCertificate " + caCertificate + " holds no certificate");
            }
            KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
            trusted.load(null, null);
            int i = 0;
            for (Certificate ca : cas) {
                trusted.setCertificateEntry("ca-" + i++, ca);
            }
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(trusted);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context.getSocketFactory();
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("caCertificate " + caCertificate + " is not a PEM file of "
                    + "certificates: " + e.getMessage(), e);
        }
    }
}
