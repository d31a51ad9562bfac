package io.promsuite.exporter.common.tls;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * PEM certificates and keys as Go's crypto/tls reads them (keys in PKCS#1, PKCS#8 or SEC1 form),
 * with the JDK alone; any other form (encrypted, DSA) is refused, as Go refuses it. No Bouncy
 * Castle at run time: its signed jars cannot be class-data archived, and its 8,000 entries are
 * read at every start by the first class-path scan.
 */
public final class Pem {
  private static final Pattern BLOCK =
      Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----\\s*([A-Za-z0-9+/=\\s]*?)\\s*-----END \\1-----");
  /** rsaEncryption (1.2.840.113549.1.1.1) with NULL parameters, as DER. */
  private static final byte[] RSA_ALGORITHM = {0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86,
      (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00};
  /** id-ecPublicKey (1.2.840.10045.2.1), as a DER OID. */
  private static final byte[] EC_PUBLIC_KEY = {0x06, 0x07, 0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x02, 0x01};
  private static final byte[] VERSION_0 = {0x02, 0x01, 0x00};

  private Pem() {}

  /** Every certificate in {@code file}, in order (a chain, or a CA bundle). */
  public static List<X509Certificate> certificates(Path file) throws IOException, GeneralSecurityException {
    CertificateFactory cf = CertificateFactory.getInstance("X.509");
    try (var in = Files.newInputStream(file)) {
      List<X509Certificate> out = new ArrayList<>();
      for (Certificate c : cf.generateCertificates(in)) {
        out.add((X509Certificate) c);
      }
      return out;
    }
  }

  /** The first private key in {@code file}. */
  public static PrivateKey privateKey(Path file) throws IOException {
    String pem = Files.readString(file, java.nio.charset.StandardCharsets.US_ASCII);
    if (pem.contains("Proc-Type: 4,ENCRYPTED")) {
      throw new IOException(file + ": the private key is encrypted: not a key form Go's crypto/tls reads"
          + " (unencrypted PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY)");
    }
    Matcher m = BLOCK.matcher(pem);
    while (m.find()) {
      String type = m.group(1);
      if (!type.endsWith("PRIVATE KEY")) {
        continue; // EC PARAMETERS before an EC key, a certificate in the same file...
      }
      byte[] der;
      try {
        der = Base64.getMimeDecoder().decode(m.group(2));
      } catch (IllegalArgumentException e) {
        throw new IOException(file + ": the " + type + " block is not valid base64");
      }
      try {
        switch (type) {
          case "PRIVATE KEY":
            return pkcs8(der);
          case "RSA PRIVATE KEY":
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(
                sequence(VERSION_0, RSA_ALGORITHM, tlv(0x04, der))));
          case "EC PRIVATE KEY":
            return KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(
                sequence(VERSION_0, tlv(0x30, concat(EC_PUBLIC_KEY, sec1Curve(der))), tlv(0x04, der))));
          default:
            // DSA, encrypted (PKCS#8 or OpenSSL's Proc-Type), ...: Go's crypto/tls refuses them
            // too ("tls: failed to parse private key").
            throw new IOException(file + ": cannot read the " + type + ": not a key form Go's crypto/tls reads"
                + " (unencrypted PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY)");
        }
      } catch (GeneralSecurityException | IllegalArgumentException e) {
        throw new IOException(file + ": cannot read the " + type + ": " + reason(e));
      }
    }
    throw new IOException(file + ": no private key found (expected PEM PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY)");
  }

  /** A JDK message without the exception class names it often nests ("java.security.InvalidKeyException: ..."). */
  private static String reason(Exception e) {
    String m = String.valueOf(e.getMessage()).replaceAll("\\b(?:[a-z][a-z0-9_]*\\.)+[A-Z][A-Za-z0-9_]*(?:Exception|Error): ", "");
    return m.isBlank() || m.equals("null") ? "malformed key" : m;
  }

  /** A PKCS#8 key of whichever algorithm the JDK knows it by. */
  private static PrivateKey pkcs8(byte[] der) throws GeneralSecurityException {
    InvalidKeySpecException last = null;
    for (String algorithm : new String[] {"EC", "RSA", "EdDSA", "RSASSA-PSS", "XDH"}) {
      try {
        return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
      } catch (InvalidKeySpecException e) {
        last = e;
      }
    }
    throw last;
  }

  /** The named curve's OID (tag, length and value) in a SEC1 ECPrivateKey's [0] parameters. */
  private static byte[] sec1Curve(byte[] sec1) {
    int[] outer = header(sec1, 0, 0x30);
    int i = outer[0];
    int end = outer[0] + outer[1];
    while (i < end) {
      int tag = sec1[i] & 0xff;
      int[] h = header(sec1, i, tag);
      if (tag == 0xa0) {
        int[] oid = header(sec1, h[0], 0x06);
        byte[] out = new byte[oid[0] + oid[1] - h[0]];
        System.arraycopy(sec1, h[0], out, 0, out.length);
        return out;
      }
      i = h[0] + h[1];
    }
    throw new IllegalArgumentException("SEC1 key without a named curve");
  }

  /** {offset of the value, its length} of the DER element at {@code at}, which must carry {@code tag}. */
  private static int[] header(byte[] der, int at, int tag) {
    if (at + 2 > der.length || (der[at] & 0xff) != tag) {
      throw new IllegalArgumentException("malformed DER");
    }
    int len = der[at + 1] & 0xff;
    int at2 = at + 2;
    if (len > 0x80) {
      int n = len - 0x80;
      if (n > 3 || at2 + n > der.length) {
        throw new IllegalArgumentException("malformed DER length");
      }
      len = 0;
      for (int k = 0; k < n; k++) {
        len = (len << 8) | (der[at2 + k] & 0xff);
      }
      at2 += n;
    } else if (len == 0x80) {
      throw new IllegalArgumentException("indefinite DER length");
    }
    if (at2 + len > der.length) {
      throw new IllegalArgumentException("truncated DER");
    }
    return new int[] {at2, len};
  }

  private static byte[] sequence(byte[]... parts) {
    return tlv(0x30, concat(parts));
  }

  private static byte[] tlv(int tag, byte[] value) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(value.length + 6);
    out.write(tag);
    int n = value.length;
    if (n < 0x80) {
      out.write(n);
    } else if (n < 0x100) {
      out.write(0x81);
      out.write(n);
    } else if (n < 0x10000) {
      out.write(0x82);
      out.write(n >> 8);
      out.write(n);
    } else {
      out.write(0x83);
      out.write(n >> 16);
      out.write(n >> 8);
      out.write(n);
    }
    out.writeBytes(value);
    return out.toByteArray();
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }
}
