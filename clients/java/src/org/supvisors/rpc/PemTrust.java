package org.supvisors.rpc;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Ours: an SSLContext that trusts the CA certificate(s) of a PEM file, for a server whose inet
 * server has certfile/keyfile and a certificate of a private CA. JDK only (CertificateFactory,
 * KeyStore, TrustManagerFactory); certificate and host name verification stay on. Without it the
 * clients use the JDK's default trust store.
 */
public final class PemTrust {

    private PemTrust() {
    }

    /**
     * An SSLContext trusting only the certificates of caPem (one or more PEM blocks).
     *
     * @throws IOException when the file cannot be read.
     * @throws GeneralSecurityException when it holds no certificate.
     */
    public static SSLContext sslContext(final Path caPem) throws IOException, GeneralSecurityException {
        final Collection<? extends Certificate> certificates;
        try (InputStream in = Files.newInputStream(caPem)) {
            certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
        }
        if (certificates.isEmpty()) {
            throw new GeneralSecurityException("no certificate in " + caPem);
        }
        final KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
        trusted.load(null, null);
        int index = 0;
        for (final Certificate certificate : certificates) {
            trusted.setCertificateEntry("ca-" + index++, certificate);
        }
        final TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trusted);
        final SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, factory.getTrustManagers(), null);
        return context;
    }
}
