package dev.eligibility.jobs.spec;

import java.time.Instant;

/**
 * Which snapshot of a Delta input a run reads: a version, or the version current at an instant
 * (the newest version committed at or before it). Without a pin a Delta input is read at its
 * latest version. Every pin is resolved to a version before any row is read, and the run record
 * holds that version, so a run can always be repeated exactly.
 */
public sealed interface DeltaPin {

  /** The spec key that gives this kind of pin. */
  String key();

  /** The pin as the spec writes it, for messages. */
  String describe();

  /** {@code version: N}. */
  record Version(long version) implements DeltaPin {
    public Version {
      if (version < 0) {
        throw new IllegalArgumentException("a Delta version is not negative: " + version);
      }
    }

    @Override
    public String key() {
      return "version";
    }

    @Override
    public String describe() {
      return "version " + version;
    }
  }

  /** {@code timestamp: T}, or every unpinned Delta input of a run with {@code --scheduled-for T}. */
  record AsOf(Instant timestamp) implements DeltaPin {
    @Override
    public String key() {
      return "timestamp";
    }

    @Override
    public String describe() {
      return "version current at " + timestamp;
    }
  }
}
