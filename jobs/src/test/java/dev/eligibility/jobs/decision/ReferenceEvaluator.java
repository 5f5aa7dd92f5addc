package dev.eligibility.jobs.decision;

import dev.eligibility.jobs.policy.RunContext;
import dev.eligibility.jobs.spec.Purpose;
import dev.eligibility.jobs.testing.World;
import dev.eligibility.jobs.testing.World.Candidate;
import dev.eligibility.jobs.testing.World.Consent;
import dev.eligibility.jobs.testing.World.License;
import dev.eligibility.jobs.testing.World.Request;
import dev.eligibility.jobs.testing.World.TrainingFile;
import dev.eligibility.jobs.testing.World.Zdr;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * POLICY.md read literally, one row at a time, with plain loops and no Spark: the yardstick the
 * Spark engine is compared against. Deliberately naive (quadratic scans, no intervals, no joins)
 * so that it shares no design with the engine, only the policy text.
 */
final class ReferenceEvaluator {

  static final Set<String> KINDS = Set.of(
      "PUBLIC_WEB", "LICENSED", "HUMAN_REVIEWER", "API", "FINE_TUNE_FILE", "FINE_TUNED_INFERENCE", "CONSUMER_APP");

  /** One decided row: primary reason ("ELIGIBLE" if none) and every reason that applies, in order. */
  record Decision(int rowNo, String recordId, String input, String reason, List<String> reasons) {}

  private final World world;
  private final RunContext run;

  ReferenceEvaluator(World world, RunContext run) {
    this.world = world;
    this.run = run;
  }

  List<Decision> decideAll() {
    List<Decision> decisions = new ArrayList<>();
    for (Candidate row : world.corpus()) {
      List<String> reasons = reasons(row);
      decisions.add(new Decision(row.rowNo(), row.recordId(), row.input(),
          reasons.isEmpty() ? "ELIGIBLE" : reasons.get(0), reasons));
    }
    return decisions;
  }

  private List<String> reasons(Candidate row) {
    boolean fineTuneRun = run.purpose() == Purpose.FINE_TUNE;
    String kind = row.sourceKind();
    boolean api = "API".equals(kind);
    boolean fileRow = "FINE_TUNE_FILE".equals(kind);
    Request request = api ? knownRequest(row.sourceRef()) : null;
    TrainingFile file = fileRow ? knownFile(row.sourceRef()) : null;
    Instant asOf = run.asOf();
    Instant cutoff = run.policy().cutoff();

    List<String> reasons = new ArrayList<>();
    if (!present(row.recordId()) || kind == null || !KINDS.contains(kind)) {
      reasons.add("INVALID_RECORD");
    }
    if (present(row.recordId())
        && world.corpus().stream().filter(c -> row.recordId().equals(c.recordId())).count() > 1) {
      reasons.add("DUPLICATE_RECORD_ID");
    }
    if ("CONSUMER_APP".equals(kind)) {
      reasons.add("OUT_OF_POLICY_SCOPE");
    }
    if (fineTuneRun && (!fileRow || (file != null && !file.orgId().equals(run.fineTuneOrgId().orElseThrow())))) {
      reasons.add("NOT_RUN_ORG_DATA");
    }
    if (!fineTuneRun && fileRow) {
      reasons.add("FINE_TUNE_DATA_ISOLATED");
    }
    if ((api && request == null) || (fineTuneRun && fileRow && file == null)) {
      reasons.add("NO_PROVENANCE");
    }
    if ("FINE_TUNED_INFERENCE".equals(kind) || (request != null && servedByFineTunedModel(request))) {
      reasons.add("FINE_TUNED_MODEL_IO");
    }
    if (request != null) {
      if (request.zdr() || coveredByZdrAgreement(request)) {
        reasons.add("ZERO_DATA_RETENTION");
      }
      if (run.policy().nonRetainedEndpoints().contains(request.endpoint())) {
        reasons.add("NON_RETAINED_ENDPOINT");
      }
      boolean beforeCutoff = request.submittedAt().isBefore(cutoff);
      String atSubmission = combinedState(request, request.submittedAt());
      String atAsOf = combinedState(request, asOf);
      if (beforeCutoff && atAsOf.equals("OPT_OUT")) {
        reasons.add("ORG_OPTED_OUT");
      }
      if (!beforeCutoff && !atSubmission.equals("OPT_IN")) {
        reasons.add("NO_OPT_IN");
      }
      if (!beforeCutoff && atSubmission.equals("OPT_IN") && atAsOf.equals("OPT_OUT")) {
        reasons.add("OPT_IN_REVOKED");
      }
    }
    if (fineTuneRun && file != null && file.deletedAt() != null && !file.deletedAt().isAfter(asOf)) {
      reasons.add("FILE_DELETED");
    }
    if ("LICENSED".equals(kind) && !licenseValid(row.sourceRef())) {
      reasons.add("LICENSE_NOT_VALID");
    }
    return reasons;
  }

  /** Exactly one request visible at as_of, with every required field present and valid; else null. */
  private Request knownRequest(String requestId) {
    if (requestId == null) {
      return null;
    }
    List<Request> visible = world.requests().stream()
        .filter(r -> requestId.equals(r.requestId()))
        .filter(r -> r.submittedAt() == null || !r.submittedAt().isAfter(run.asOf()))
        .toList();
    if (visible.size() != 1) {
      return null;
    }
    Request r = visible.get(0);
    boolean valid = present(r.orgId())
        && ("API".equals(r.channel()) || "PLAYGROUND".equals(r.channel()))
        && present(r.endpoint())
        && r.submittedAt() != null
        && r.zdr() != null;
    return valid ? r : null;
  }

  private TrainingFile knownFile(String fileId) {
    if (fileId == null) {
      return null;
    }
    List<TrainingFile> visible = world.files().stream()
        .filter(f -> fileId.equals(f.fileId()))
        .filter(f -> f.uploadedAt() == null || !f.uploadedAt().isAfter(run.asOf()))
        .toList();
    if (visible.size() != 1) {
      return null;
    }
    TrainingFile f = visible.get(0);
    return present(f.orgId()) && f.uploadedAt() != null ? f : null;
  }

  private boolean servedByFineTunedModel(Request request) {
    String model = request.modelId();
    if (model == null) {
      return false;
    }
    boolean listed = world.models().stream().anyMatch(m -> model.equals(m.modelId()));
    return listed || model.toLowerCase(Locale.ROOT).startsWith("ft:");
  }

  private boolean coveredByZdrAgreement(Request request) {
    Instant t = request.submittedAt();
    for (Zdr z : world.zdr().orElse(List.of())) {
      if (Objects.equals(z.orgId(), request.orgId())
          && (z.effectiveFrom() == null || !z.effectiveFrom().isAfter(t))
          && (z.effectiveTo() == null || t.isBefore(z.effectiveTo()))
          && (z.endpoint() == null || z.endpoint().equals(request.endpoint()))) {
        return true;
      }
    }
    return false;
  }

  /** Deny overrides over the organization scope and the request's project scope. */
  private String combinedState(Request request, Instant t) {
    List<Consent> existing = world.consent().stream()
        .filter(e -> request.orgId().equals(e.orgId()))
        .filter(e -> e.recordedAt() == null || !e.recordedAt().isAfter(run.asOf()))
        .toList();
    boolean malformed = existing.stream().anyMatch(e -> e.decision() == null
        || !(e.decision().equals("OPT_IN") || e.decision().equals("OPT_OUT"))
        || e.effectiveAt() == null || e.recordedAt() == null);
    if (malformed) {
      return "OPT_OUT";
    }
    String org = scopeState(existing.stream().filter(e -> e.projectId() == null).toList(), t);
    String project = request.projectId() == null
        ? "NONE"
        : scopeState(existing.stream().filter(e -> request.projectId().equals(e.projectId())).toList(), t);
    if (org.equals("OPT_OUT") || project.equals("OPT_OUT")) {
      return "OPT_OUT";
    }
    return org.equals("OPT_IN") || project.equals("OPT_IN") ? "OPT_IN" : "NONE";
  }

  /** The decision of the latest event in effect at t; OPT_OUT wins a tie; NONE without one. */
  private static String scopeState(List<Consent> events, Instant t) {
    Instant latest = null;
    for (Consent e : events) {
      if (!e.effectiveAt().isAfter(t) && (latest == null || e.effectiveAt().isAfter(latest))) {
        latest = e.effectiveAt();
      }
    }
    if (latest == null) {
      return "NONE";
    }
    Instant at = latest;
    boolean optOut = events.stream().anyMatch(e -> e.effectiveAt().equals(at) && e.decision().equals("OPT_OUT"));
    return optOut ? "OPT_OUT" : "OPT_IN";
  }

  private boolean licenseValid(String licenseId) {
    if (licenseId == null || world.licenses().isEmpty()) {
      return false;
    }
    List<License> matches = world.licenses().get().stream().filter(l -> licenseId.equals(l.licenseId())).toList();
    if (matches.size() != 1) {
      return false;
    }
    License l = matches.get(0);
    Instant asOf = run.asOf();
    return Boolean.TRUE.equals(l.permitsTraining())
        && l.validFrom() != null
        && !l.validFrom().isAfter(asOf)
        && (l.validTo() == null || asOf.isBefore(l.validTo()));
  }

  private static boolean present(String value) {
    return value != null && !value.isEmpty();
  }
}
