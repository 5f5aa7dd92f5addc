package dev.eligibility.jobs.cli;

import dev.eligibility.jobs.errors.Errors;
import dev.eligibility.lineage.Ed25519Keys;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code lineage keygen}: a new Ed25519 signing key and its public key, for signing manifests and receipts. */
@Command(name = "keygen", mixinStandardHelpOptions = true,
    description = {
        "Make a new Ed25519 key pair for signing manifests and receipts: NAME.pem (the private key, PKCS#8 PEM,"
            + " readable by its owner only) and NAME.pub.pem (the public key readers trust).",
        "%nNever overwrites a file. Prints the key id and the lines of conf/lineage.yaml that use the pair."})
final class KeygenCommand implements Callable<Integer> {

  @Spec
  picocli.CommandLine.Model.CommandSpec command;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Folder to write the two files into.")
  Path out;

  @Option(names = "--name", paramLabel = "NAME", defaultValue = "signing-key",
      description = "File name stem (default: ${DEFAULT-VALUE}).")
  String name;

  @Override
  public Integer call() {
    KeyPair pair = Ed25519Keys.generate();
    Path privateKey = out.resolve(name + ".pem");
    Path publicKey = out.resolve(name + ".pub.pem");
    try {
      Files.createDirectories(out);
      if (Files.exists(privateKey) || Files.exists(publicKey)) {
        throw Errors.badOption("--out", out.toString(), "a folder without " + privateKey.getFileName() + " or "
            + publicKey.getFileName() + " (keygen never overwrites a key)");
      }
      // Created owner-only before any byte is written, so the key is never readable by others.
      Files.createFile(privateKey, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.writeString(privateKey, Ed25519Keys.toPem(pair.getPrivate()), StandardCharsets.US_ASCII,
          StandardOpenOption.TRUNCATE_EXISTING);
      Files.writeString(publicKey, Ed25519Keys.toPem(pair.getPublic()), StandardCharsets.US_ASCII,
          StandardOpenOption.CREATE_NEW);
    } catch (FileAlreadyExistsException e) {
      throw Errors.badOption("--out", out.toString(), "a folder without " + e.getFile() + " (keygen never overwrites a key)");
    } catch (UnsupportedOperationException e) {
      throw Errors.badOption("--out", out.toString(), "a folder on a file system with owner-only permissions");
    } catch (IOException e) {
      throw Errors.infrastructure("Writing the key pair to " + out, e);
    }
    PrintWriter console = command.commandLine().getOut();
    console.printf("Wrote %s (private, owner-only) and %s; key id %s%n", privateKey, publicKey,
        Ed25519Keys.keyId(pair.getPublic()));
    console.println("To sign with it and trust it, conf/lineage.yaml (or --lineage-conf) holds:");
    console.println("  signing_key_file: " + privateKey.toAbsolutePath());
    console.println("  trusted_public_keys: [" + publicKey.toAbsolutePath() + "]");
    console.println("Keep the private key out of version control; readers need only the public key.");
    console.flush();
    return 0;
  }
}
