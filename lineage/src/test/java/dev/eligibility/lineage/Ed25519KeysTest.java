package dev.eligibility.lineage;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** The public key of a private key, against RFC 8032's test vectors, and PEM both ways. */
class Ed25519KeysTest {

  /** PKCS#8 DER of an Ed25519 private key, before its 32-byte seed. */
  static final String PKCS8_PREFIX = "302e020100300506032b657004220420";

  static PrivateKey fromSeed(String seedHex) throws Exception {
    byte[] der = HexFormat.of().parseHex(PKCS8_PREFIX + seedHex);
    return KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(der));
  }

  @Test
  void thePublicKeyOfRfc8032TestVectorsIsTheirs() throws Exception {
    String[][] vectors = {
        {"9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
            "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"},
        {"4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
            "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c"},
        {"c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7",
            "fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025"}};
    for (String[] vector : vectors) {
      byte[] spki = Ed25519Keys.publicKeyOf(fromSeed(vector[0])).getEncoded();
      assertThat(HexFormat.of().formatHex(Arrays.copyOfRange(spki, spki.length - 32, spki.length))).isEqualTo(vector[1]);
    }
  }

  @Test
  void keysSurvivePem() throws Exception {
    var pair = Ed25519Keys.generate();
    PrivateKey read = Ed25519Keys.privateKeyFromPem(Ed25519Keys.toPem(pair.getPrivate()));
    assertThat(Ed25519Keys.publicKeyOf(read).getEncoded()).isEqualTo(pair.getPublic().getEncoded());
    assertThat(Ed25519Keys.publicKeyFromPem(Ed25519Keys.toPem(pair.getPublic())).getEncoded())
        .isEqualTo(pair.getPublic().getEncoded());
  }
}
