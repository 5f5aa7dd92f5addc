package dev.eligibility.jobs.decision;

import dev.eligibility.jobs.policy.ConsentState;
import dev.eligibility.jobs.policy.Definitions;
import dev.eligibility.jobs.policy.Facts;
import dev.eligibility.jobs.policy.PolicyRules;
import dev.eligibility.jobs.policy.Reason;
import dev.eligibility.jobs.policy.RunContext;
import dev.eligibility.jobs.policy.Term;
import dev.eligibility.jobs.testing.World;
import dev.eligibility.jobs.testing.World.Candidate;
import dev.eligibility.jobs.testing.World.Consent;
import dev.eligibility.jobs.testing.World.License;
import dev.eligibility.jobs.testing.World.Request;
import dev.eligibility.jobs.testing.World.TrainingFile;
import dev.eligibility.jobs.testing.World.Zdr;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The decision one row at a time, with plain loops and no Spark: the yardstick the Spark engine
 * is compared against. The facts are gathered naively (quadratic scans, no intervals, no joins),
 * so the engine's joins, groupings and consent intervals are checked against code that shares
 * none of their design; the definitions and the rules are the policy's own, in their plain form
 * ({@link Definitions}, {@link PolicyRules#reasons}), so there is no second copy of them to drift.
 */
final class ReferenceEvaluator {

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
      List<String> reasons = PolicyRules.reasons(PolicyRules.forRun(run), facts(row)).stream()
          .map(Reason::name).toList();
      decisions.add(new Decision(row.rowNo(), row.recordId(), row.input(),
          reasons.isEmpty() ? "ELIGIBLE" : reasons.get(0), reasons));
    }
    return decisions;
  }

  /** The row's fields and every fact the rules read, named as {@link Facts} names them. */
  private Map<String, Object> facts(Candidate row) {
    Map<String, Object> facts = new HashMap<>();
    facts.put("record_id", row.recordId());
    facts.put("source_kind", row.sourceKind());
    facts.put("source_ref", row.sourceRef());
    boolean idPresent = Boolean.TRUE.equals(Definitions.present(Term.field("record_id")).test(facts));
    facts.put(Facts.ID_OCCURRENCES, idPresent
        ? world.corpus().stream().filter(c -> row.recordId().equals(c.recordId())).count()
        : null);
    if ("API".equals(row.sourceKind())) {
      putRequestFacts(row.sourceRef(), facts);
    }
    if ("FINE_TUNE_FILE".equals(row.sourceKind())) {
      putFileFacts(row.sourceRef(), facts);
    }
    if ("LICENSED".equals(row.sourceKind())) {
      facts.put(Facts.LICENSE_VALID, licenseValid(row.sourceRef()));
    }
    return facts;
  }

  /** Exactly one request visible at as_of, with every required field present and valid: known. */
  private void putRequestFacts(String requestId, Map<String, Object> facts) {
    if (requestId == null) {
      return;
    }
    List<Request> visible = world.requests().stream()
        .filter(r -> requestId.equals(r.requestId()))
        .filter(r -> r.submittedAt() == null || !r.submittedAt().isAfter(run.asOf()))
        .toList();
    if (visible.size() != 1) {
      return;
    }
    Request r = visible.get(0);
    facts.put(Facts.REQUEST_MATCHES, 1L);
    facts.put(Facts.REQUEST_ORG, r.orgId());
    facts.put(Facts.REQUEST_CHANNEL, r.channel());
    facts.put(Facts.REQUEST_ENDPOINT, r.endpoint());
    facts.put(Facts.REQUEST_SUBMITTED_AT, r.submittedAt());
    facts.put(Facts.REQUEST_ZDR, r.zdr());
    facts.put(Facts.REQUEST_MODEL, r.modelId());
    boolean known = Boolean.TRUE.equals(Definitions.knownRequest().test(facts));
    facts.put(Facts.REQUEST_KNOWN, known);
    if (!known) {
      return;
    }
    facts.put(Facts.REQUEST_MODEL_LISTED,
        world.models().stream().anyMatch(m -> r.modelId() != null && r.modelId().equals(m.modelId())));
    facts.put(Facts.REQUEST_FINE_TUNED_MODEL, Definitions.fineTunedModel().test(facts));
    facts.put(Facts.REQUEST_ZDR_AGREEMENT, coveredByZdrAgreement(r, facts));
    putConsentFacts(r, r.submittedAt(), Facts.CONSENT_ORG_AT_SUBMISSION, Facts.CONSENT_PROJECT_AT_SUBMISSION, facts);
    putConsentFacts(r, run.asOf(), Facts.CONSENT_ORG_AT_AS_OF, Facts.CONSENT_PROJECT_AT_AS_OF, facts);
  }

  private void putFileFacts(String fileId, Map<String, Object> facts) {
    if (fileId == null) {
      return;
    }
    List<TrainingFile> visible = world.files().stream()
        .filter(f -> fileId.equals(f.fileId()))
        .filter(f -> f.uploadedAt() == null || !f.uploadedAt().isAfter(run.asOf()))
        .toList();
    facts.put(Facts.FILE_MATCHES, (long) visible.size());
    if (visible.size() == 1) {
      TrainingFile f = visible.get(0);
      facts.put(Facts.FILE_ORG, f.orgId());
      facts.put(Facts.FILE_UPLOADED_AT, f.uploadedAt());
      facts.put(Facts.FILE_DELETED_AT, f.deletedAt());
    }
    facts.put(Facts.FILE_KNOWN, Boolean.TRUE.equals(Definitions.knownFile().test(facts)));
  }

  private boolean coveredByZdrAgreement(Request request, Map<String, Object> requestFacts) {
    Term covers = Definitions.zdrAgreementCovers(
        Term.field("effective_from"), Term.field("effective_to"), Term.field("endpoint"));
    for (Zdr z : world.zdr().orElse(List.of())) {
      if (z.orgId() == null || !z.orgId().equals(request.orgId())) {
        continue;
      }
      Map<String, Object> agreement = new HashMap<>(requestFacts);
      agreement.put("effective_from", z.effectiveFrom());
      agreement.put("effective_to", z.effectiveTo());
      agreement.put("endpoint", z.endpoint());
      if (Boolean.TRUE.equals(covers.test(agreement))) {
        return true;
      }
    }
    return false;
  }

  /**
   * Each scope's state at t: the organization scope and the request's project scope. An
   * organization with a malformed visible event is {@code OPT_OUT} in its organization scope at
   * every instant.
   */
  private void putConsentFacts(Request request, Instant t, String orgField, String projectField,
      Map<String, Object> facts) {
    List<Consent> existing = world.consent().stream()
        .filter(e -> request.orgId().equals(e.orgId()))
        .filter(e -> e.recordedAt() == null || !e.recordedAt().isAfter(run.asOf()))
        .toList();
    boolean malformed = existing.stream().anyMatch(e -> !Boolean.FALSE.equals(
        Definitions.malformedConsentEvent().test(eventFields(e))));
    if (malformed) {
      facts.put(orgField, ConsentState.OPT_OUT.name());
      facts.put(projectField, ConsentState.NONE.name());
      return;
    }
    facts.put(orgField, scopeState(existing.stream().filter(e -> e.projectId() == null).toList(), t));
    facts.put(projectField, request.projectId() == null
        ? ConsentState.NONE.name()
        : scopeState(existing.stream().filter(e -> request.projectId().equals(e.projectId())).toList(), t));
  }

  private static Map<String, Object> eventFields(Consent e) {
    Map<String, Object> fields = new HashMap<>();
    fields.put("decision", e.decision());
    fields.put("effective_at", e.effectiveAt());
    fields.put("recorded_at", e.recordedAt());
    return fields;
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
    Map<String, Object> fields = new HashMap<>();
    fields.put(Facts.LICENSE_MATCHES, (long) matches.size());
    if (matches.size() == 1) {
      License l = matches.get(0);
      fields.put(Facts.LICENSE_PERMITS, l.permitsTraining());
      fields.put(Facts.LICENSE_VALID_FROM, l.validFrom());
      fields.put(Facts.LICENSE_VALID_TO, l.validTo());
    }
    return Boolean.TRUE.equals(Definitions.validLicence(run.asOf()).test(fields));
  }
}
