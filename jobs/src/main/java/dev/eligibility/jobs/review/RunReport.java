package dev.eligibility.jobs.review;

import static dev.eligibility.jobs.review.Html.escape;

import dev.eligibility.jobs.input.TableReader;
import dev.eligibility.jobs.publication.RunFigures;
import dev.eligibility.jobs.verify.VerificationReport;
import dev.eligibility.lineage.DecisionCounts;
import dev.eligibility.lineage.DecisionMode;
import dev.eligibility.lineage.InputSnapshot;
import dev.eligibility.lineage.NegativeClaims;
import dev.eligibility.lineage.OutputSnapshot;
import dev.eligibility.lineage.RunRecord;
import dev.eligibility.lineage.UpstreamWarning;
import dev.eligibility.lineage.verify.ClaimResult;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The run report: one self-contained HTML page about a committed run for people who review it,
 * on screen, on a phone or on paper. Everything is inline (styles, charts as SVG); a
 * Content-Security-Policy forbids any request, so the page shows the same offline and a stray
 * reference would be refused (and reported on the browser's console) rather than fetched.
 *
 * @param manifestLocation where the manifest was read
 * @param manifestDigest hex SHA-256 of the manifest's bytes
 * @param signed whether the manifest is signed (and verified with a trusted key)
 * @param record the run record
 * @param verification the result of checking every claim against the data, if it was checked
 * @param organizations the organizations with the most rows in the run
 * @param history the committed runs of the root, newest first (empty when not asked for)
 * @param generatedAt when the page was made
 * @param generatedBy the version of the tool that made it
 */
public record RunReport(
    String manifestLocation,
    String manifestDigest,
    boolean signed,
    RunRecord record,
    Optional<VerificationReport> verification,
    OrganizationOutcomes.Largest organizations,
    List<RunFigures> history,
    Instant generatedAt,
    String generatedBy) {

  public RunReport {
    history = List.copyOf(history);
  }

  /** The page. */
  public String html() {
    StringBuilder page = new StringBuilder(32_768);
    String runId = record.run().runId();
    page.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
        .append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n")
        .append("<title>Run ").append(escape(runId)).append(" · eligibility report</title>\n")
        .append("<style>").append(STYLE).append("</style>\n</head>\n<body>\n<main>\n");
    identity(page);
    outcomes(page);
    organizations(page);
    inputs(page);
    warningsAndClaims(page);
    outputs(page);
    if (!history.isEmpty()) {
      history(page);
    }
    page.append("<footer>Made ").append(escape(generatedAt)).append(" by eligibility ").append(escape(generatedBy))
        .append(" from manifest ").append(escape(manifestLocation))
        .append(". Counts, identifiers and digests only: no row content is in this page.</footer>\n")
        .append("</main>\n</body>\n</html>\n");
    return page.toString();
  }

  private void identity(StringBuilder page) {
    DecisionCounts counts = record.counts();
    page.append("<header>\n<h1>Run <span id=\"run-id\">").append(escape(record.run().runId())).append("</span></h1>\n")
        .append("<p class=\"sub\">").append(escape(record.run().purpose()))
        .append(record.run().fineTuneOrgId() == null ? "" : " for " + escape(record.run().fineTuneOrgId()))
        .append(" · as_of ").append(escape(record.run().asOf()))
        .append(" · policy ").append(escape(record.policy().policyId())).append("</p>\n");
    page.append("<ul class=\"status\">\n")
        .append(status(signed ? "ok" : "warn", "signature", signed
            ? "signed; verifies with a trusted key"
            : "UNSIGNED: the run was started with --unsigned, nothing vouches for this manifest"))
        .append(status(verificationClass(), "verification", verificationText()))
        .append(status(record.negativeClaims().allHold() ? "ok" : "bad", "negative claims",
            record.negativeClaims().allHold() ? "all hold" : "BROKEN"))
        .append("</ul>\n</header>\n");
    page.append("<section class=\"cards\">\n")
        .append(card("candidates", String.format(Locale.ROOT, "%,d", counts.candidates()), "rows read"))
        .append(card("eligible", String.format(Locale.ROOT, "%,d", counts.eligible()), percent(counts.eligible(), counts.candidates())))
        .append(card("excluded", String.format(Locale.ROOT, "%,d", counts.excluded()), percent(counts.excluded(), counts.candidates())))
        .append(card("organizations", String.format(Locale.ROOT, "%,d", record.eligibleRowsByOrganization().organizations()),
            "with eligible rows"))
        .append(card("decision", record.decisionMode().mode(), decisionText(record.decisionMode())))
        .append("</section>\n");
    if (verification.isPresent()) {
      page.append("<section>\n<h2>Verification against the data</h2>\n<div class=\"scroll\"><table id=\"claims\">")
          .append("<tr><th>claim</th><th>outcome</th><th>detail</th></tr>\n");
      for (ClaimResult result : verification.get().results()) {
        page.append("<tr class=\"").append(result.passed() ? "ok" : "bad").append("\"><td>")
            .append(escape(result.claim().label())).append("</td><td>").append(escape(result.outcome()))
            .append("</td><td>").append(escape(result.detail())).append("</td></tr>\n");
      }
      page.append("</table></div>\n</section>\n");
    }
  }

  private String verificationClass() {
    return verification.map(v -> v.holds() ? "ok" : "bad").orElse("note");
  }

  private String verificationText() {
    return verification.map(v -> v.holds() ? "VERIFIED: every claim holds against the pinned data"
            : "NOT VERIFIED: " + String.join(", ", v.failures().stream().map(r -> r.claim().label()).toList())
                + " do not hold")
        .orElse("not checked against the data (lineage report --verify, or lineage verify)");
  }

  private static String decisionText(DecisionMode mode) {
    return mode.incremental()
        ? String.format(Locale.ROOT, "%,d rows decided again since run %s", mode.redecidedRows(), mode.baseRunId())
        : "every row decided";
  }

  private void outcomes(StringBuilder page) {
    DecisionCounts counts = record.counts();
    List<SvgCharts.Bar> bars = new ArrayList<>();
    bars.add(new SvgCharts.Bar("ELIGIBLE", counts.eligible(), count(counts.eligible(), counts.candidates()), "#009E73"));
    int colour = 0;
    for (Map.Entry<String, Long> reason : counts.byReason().entrySet()) {
      String fill = SvgCharts.PALETTE.get(colour++ % SvgCharts.PALETTE.size());
      if (reason.getValue() > 0) {
        bars.add(new SvgCharts.Bar(reason.getKey(), reason.getValue(), count(reason.getValue(), counts.candidates()), fill));
      }
    }
    page.append("<section>\n<h2>Outcomes</h2>\n")
        .append(SvgCharts.bars("Rows by outcome: eligible, and excluded by primary reason", bars))
        .append("<div class=\"scroll\"><table id=\"outcomes\"><tr><th>outcome</th><th class=\"n\">rows</th>")
        .append("<th class=\"n\">share</th></tr>\n")
        .append(outcomeRow("ELIGIBLE", counts.eligible(), counts.candidates()));
    for (Map.Entry<String, Long> reason : counts.byReason().entrySet()) {
      page.append(outcomeRow("excluded: " + reason.getKey(), reason.getValue(), counts.candidates()));
    }
    page.append(outcomeRow("total candidates", counts.candidates(), counts.candidates()))
        .append("</table></div>\n<p class=\"note\">Each excluded row counts under its primary reason, the first"
            + " applying reason in the policy's order.</p>\n</section>\n");
  }

  private static String outcomeRow(String label, long rows, long candidates) {
    return "<tr><td>" + escape(label) + "</td><td class=\"n\">" + String.format(Locale.ROOT, "%,d", rows)
        + "</td><td class=\"n\">" + percent(rows, candidates) + "</td></tr>\n";
  }

  private void organizations(StringBuilder page) {
    page.append("<section>\n<h2>Organizations</h2>\n<p>")
        .append(String.format(Locale.ROOT, "%,d organizations have rows in this run", organizations.organizations()))
        .append(organizations.organizations() > organizations.largest().size()
            ? "; the " + organizations.largest().size() + " with the most rows:" : ":")
        .append("</p>\n<div class=\"scroll\"><table id=\"organizations\"><tr><th>organization</th>")
        .append("<th class=\"n\">eligible</th><th class=\"n\">excluded</th><th>excluded by reason</th></tr>\n");
    for (OrganizationOutcomes.Organization organization : organizations.largest()) {
      List<String> reasons = new ArrayList<>();
      organization.excludedByReason().forEach((reason, rows) ->
          reasons.add(escape(reason) + String.format(Locale.ROOT, " %,d", rows)));
      page.append("<tr><td>").append(escape(organization.organizationId())).append("</td><td class=\"n\">")
          .append(String.format(Locale.ROOT, "%,d", organization.eligible())).append("</td><td class=\"n\">")
          .append(String.format(Locale.ROOT, "%,d", organization.excluded())).append("</td><td>")
          .append(String.join(", ", reasons)).append("</td></tr>\n");
    }
    page.append("</table></div>\n<p class=\"note\">An API row is its request's organization's data, a training-file"
        + " row its file owner's; other rows belong to no organization. Eligible counts are the registry's, checked"
        + " against the digest the manifest binds; excluded counts are the run's rows of exclusions/.</p>\n</section>\n");
  }

  private void inputs(StringBuilder page) {
    page.append("<section>\n<h2>Inputs</h2>\n<div class=\"scroll\"><table id=\"inputs\"><tr><th>input</th>")
        .append("<th>format</th><th class=\"n\">rows</th><th>version</th><th>digest</th></tr>\n");
    for (InputSnapshot input : record.inputs()) {
      page.append("<tr><td title=\"").append(escape(input.path())).append("\">")
          .append(escape(TableReader.label(input.table(), input.name()))).append("</td><td>").append(escape(input.format()))
          .append("</td><td class=\"n\">").append(String.format(Locale.ROOT, "%,d", input.rowCount())).append("</td><td>")
          .append(input.deltaVersion() == null ? input.files().size() + " file" + (input.files().size() == 1 ? "" : "s")
              : "v" + input.deltaVersion())
          .append("</td><td class=\"digest\">").append(escape(input.datasetDigest())).append("</td></tr>\n");
    }
    page.append("</table></div>\n</section>\n");
  }

  private void warningsAndClaims(StringBuilder page) {
    page.append("<section>\n<h2>Upstream warnings</h2>\n");
    if (record.upstreamWarnings().stream().allMatch(w -> w.rowCount() == 0)) {
      page.append("<p id=\"warnings\">None: no upstream table broke a promise the run checks.</p>\n");
    } else {
      page.append("<div class=\"scroll\"><table id=\"warnings\"><tr><th>warning</th><th class=\"n\">rows</th>")
          .append("<th>meaning</th><th>organizations</th></tr>\n");
      for (UpstreamWarning warning : record.upstreamWarnings()) {
        if (warning.rowCount() > 0) {
          page.append("<tr class=\"warn\"><td>").append(escape(warning.code())).append("</td><td class=\"n\">")
              .append(String.format(Locale.ROOT, "%,d", warning.rowCount())).append("</td><td>")
              .append(escape(warning.description())).append("</td><td>")
              .append(escape(String.join(", ", warning.organizations()))).append("</td></tr>\n");
        }
      }
      page.append("</table></div>\n");
    }
    NegativeClaims claims = record.negativeClaims();
    Map<String, Long> negative = new LinkedHashMap<>();
    negative.put("zero-data-retention rows", claims.zeroDataRetentionRows());
    negative.put("rows sent to a non-retained endpoint", claims.nonRetainedEndpointRows());
    negative.put("fine-tuned model input or output", claims.fineTunedModelIoRows());
    negative.put("deleted or another organization's training files", claims.deletedOrForeignFineTuneFileRows());
    negative.put("API rows after the cutoff without opt-in", claims.postCutoffWithoutOptInRows());
    page.append("<h2>Negative claims</h2>\n<p>What the eligible set does not hold, counted from the rows' facts"
        + " (not from the reasons given): each count must be zero.</p>\n<div class=\"scroll\"><table id=\"negative-claims\">"
        + "<tr><th>eligible rows that are</th><th class=\"n\">rows</th><th>holds</th></tr>\n");
    negative.forEach((claim, rows) -> page.append("<tr class=\"").append(rows == 0 ? "ok" : "bad").append("\"><td>")
        .append(escape(claim)).append("</td><td class=\"n\">").append(String.format(Locale.ROOT, "%,d", rows))
        .append("</td><td>").append(rows == 0 ? "yes" : "NO").append("</td></tr>\n"));
    page.append("</table></div>\n</section>\n");
  }

  private void outputs(StringBuilder page) {
    page.append("<section>\n<h2>Outputs and chain</h2>\n<div class=\"scroll\"><table id=\"outputs\"><tr><th>table</th>")
        .append("<th>version</th><th class=\"n\">rows</th><th>digest</th><th>Merkle root</th></tr>\n");
    for (OutputSnapshot output : record.outputs()) {
      page.append("<tr><td title=\"").append(escape(output.path())).append("\">").append(escape(output.table()))
          .append("/</td><td>v").append(output.deltaVersion()).append("</td><td class=\"n\">")
          .append(String.format(Locale.ROOT, "%,d", output.rowCount())).append("</td><td class=\"digest\">")
          .append(escape(output.datasetDigest())).append("</td><td class=\"digest\">")
          .append(output.merkleRoot() == null ? "-" : escape(output.merkleRoot())).append("</td></tr>\n");
    }
    page.append("</table></div>\n<dl>\n<dt>manifest</dt><dd class=\"digest\" id=\"manifest-digest\">")
        .append(escape(manifestDigest)).append("</dd>\n<dt>previous run in the chain</dt><dd id=\"previous\">")
        .append(previousRun()).append("</dd>\n<dt>code version</dt><dd>").append(escape(record.codeVersion()))
        .append("</dd>\n<dt>policy digest</dt><dd class=\"digest\">").append(escape(record.policy().sha256()))
        .append("</dd>\n<dt>started, ended</dt><dd>").append(escape(record.run().startedAt())).append(", ")
        .append(escape(record.run().endedAt())).append("</dd>\n</dl>\n</section>\n");
  }

  private String previousRun() {
    String previous = record.previousManifestDigest();
    if (previous == null) {
      return "none: the first run committed under its output root";
    }
    return history.stream().filter(run -> run.manifestDigest().equals(previous)).findFirst()
        .map(run -> "<a href=\"#run-" + escape(run.manifestDigest()) + "\">run " + escape(run.runId()) + "</a>, manifest "
            + "<span class=\"digest\">" + escape(previous) + "</span>")
        .orElse("manifest <span class=\"digest\">" + escape(previous) + "</span>"
            + (history.isEmpty() ? " (add --root for the history)" : " (not among the runs read)"));
  }

  private void history(StringBuilder page) {
    List<RunFigures> oldestFirst = new ArrayList<>(history);
    java.util.Collections.reverse(oldestFirst);
    List<String> labels = oldestFirst.stream().map(RunFigures::runId).toList();
    List<SvgCharts.Series> eligible = List.of(new SvgCharts.Series("eligible share",
        oldestFirst.stream().map(run -> 100 * run.eligibleShare()).toList(), "#009E73"));
    List<SvgCharts.Series> reasons = new ArrayList<>();
    List<String> reasonNames = List.copyOf(record.counts().byReason().keySet());
    double maxShare = 0;
    for (int i = 0; i < reasonNames.size(); i++) {
      String reason = reasonNames.get(i);
      List<Double> shares = oldestFirst.stream().map(run -> 100 * run.shareOf(reason)).toList();
      if (shares.stream().anyMatch(share -> share > 0)) {
        reasons.add(new SvgCharts.Series(reason, shares, SvgCharts.PALETTE.get(i % SvgCharts.PALETTE.size())));
        maxShare = Math.max(maxShare, shares.stream().mapToDouble(Double::doubleValue).max().orElse(0));
      }
    }
    page.append("<section id=\"history\">\n<h2>History of the output root</h2>\n<p>")
        .append(history.size()).append(" committed run").append(history.size() == 1 ? "" : "s")
        .append(", oldest left, following the manifests' hash chain.</p>\n<h3>Eligible share</h3>\n")
        .append(SvgCharts.lines("Eligible share of the candidates per run", labels, eligible, 100, "%.0f%%"))
        .append("<h3>Excluded share by reason</h3>\n")
        .append(SvgCharts.lines("Share of the candidates excluded per reason per run", labels, reasons,
            Math.min(100, Math.ceil(maxShare / 10) * 10), "%.0f%%"))
        .append("<ul class=\"legend\">");
    for (SvgCharts.Series series : reasons) {
      page.append("<li><span style=\"background:").append(series.colour()).append("\"></span>")
          .append(escape(series.name())).append("</li>");
    }
    page.append("</ul>\n<div class=\"scroll\"><table id=\"runs\"><tr><th>run</th><th>as_of</th>")
        .append("<th class=\"n\">candidates</th><th class=\"n\">eligible</th><th>decision</th><th>signature</th>")
        .append("<th>previous</th></tr>\n");
    for (RunFigures run : history) {
      boolean self = run.manifestDigest().equals(manifestDigest);
      page.append("<tr id=\"run-").append(escape(run.manifestDigest())).append("\"").append(self ? " class=\"self\"" : "")
          .append("><td>").append(escape(run.runId())).append("</td><td>").append(escape(run.asOf()))
          .append("</td><td class=\"n\">").append(String.format(Locale.ROOT, "%,d", run.candidates()))
          .append("</td><td class=\"n\">").append(String.format(Locale.ROOT, "%,d (%.1f%%)", run.eligible(),
              100 * run.eligibleShare()))
          .append("</td><td>").append(escape(run.decisionMode())).append("</td><td>").append(escape(run.signature()))
          .append("</td><td>").append(previousLink(run)).append("</td></tr>\n");
    }
    page.append("</table></div>\n</section>\n");
  }

  private String previousLink(RunFigures run) {
    if (run.previousManifestDigest() == null) {
      return "-";
    }
    return history.stream().filter(other -> other.manifestDigest().equals(run.previousManifestDigest())).findFirst()
        .map(other -> "<a href=\"#run-" + escape(other.manifestDigest()) + "\">" + escape(other.runId()) + "</a>")
        .orElse("<span class=\"digest\">" + escape(run.previousManifestDigest().substring(0, 16)) + "…</span>");
  }

  private static String status(String kind, String label, String text) {
    return "<li class=\"" + kind + "\"><b>" + escape(label) + ":</b> " + escape(text) + "</li>\n";
  }

  private static String card(String label, String value, String detail) {
    return "<div class=\"card\"><div class=\"label\">" + escape(label) + "</div><div class=\"value\" id=\"card-"
        + escape(label) + "\">" + escape(value) + "</div><div class=\"detail\">" + escape(detail) + "</div></div>\n";
  }

  private static String count(long rows, long candidates) {
    return String.format(Locale.ROOT, "%,d (%s)", rows, percent(rows, candidates));
  }

  private static String percent(long rows, long candidates) {
    return candidates == 0 ? "-" : String.format(Locale.ROOT, "%.1f%%", 100.0 * rows / candidates);
  }

  private static final String STYLE = """
      :root{color-scheme:light;--ok:#1b7f3b;--bad:#b3261e;--warn:#8a5a00;--note:#3b5b8a;--line:#d8dce3}
      *{box-sizing:border-box}
      body{margin:0;font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1d2330;background:#f6f7f9}
      main{max-width:980px;margin:0 auto;padding:16px}
      header,section{background:#fff;border:1px solid var(--line);border-radius:8px;padding:14px 16px;margin:0 0 14px}
      h1{font-size:1.5em;margin:0 0 4px;overflow-wrap:anywhere}h2{font-size:1.15em;margin:.2em 0 .6em}h3{font-size:1em;margin:1em 0 .3em}
      .sub{margin:0 0 8px;color:#4a5263}
      ul.status{list-style:none;margin:0;padding:0}ul.status li{padding:4px 8px;margin:4px 0;border-left:4px solid}
      li.ok{border-color:var(--ok)}li.bad{border-color:var(--bad);background:#fdeceb}li.warn{border-color:var(--warn);background:#fff6e0}
      li.note{border-color:var(--note)}
      .cards{display:flex;flex-wrap:wrap;gap:10px;background:none;border:none;padding:0}
      .card{flex:1 1 150px;background:#fff;border:1px solid var(--line);border-radius:8px;padding:10px 12px}
      .card .label{font-size:.8em;text-transform:uppercase;color:#5a6274}.card .value{font-size:1.4em;font-weight:600}
      .card .detail{font-size:.85em;color:#5a6274}
      .scroll{overflow-x:auto}
      table{border-collapse:collapse;width:100%;font-size:.92em}
      th,td{text-align:left;padding:5px 8px;border-bottom:1px solid var(--line);vertical-align:top}
      th{background:#eef0f4}td.n,th.n{text-align:right;white-space:nowrap}
      tr.bad td{background:#fdeceb}tr.warn td{background:#fff6e0}tr.self td{background:#eef6ff;font-weight:600}
      .digest{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.85em;overflow-wrap:anywhere}
      svg.chart{width:100%;height:auto;display:block;margin:4px 0 10px}
      svg .label,svg .value,svg .axis{font-size:12px;fill:#1d2330}svg .grid{stroke:var(--line)}
      ul.legend{list-style:none;padding:0;margin:0 0 10px;display:flex;flex-wrap:wrap;gap:4px 14px;font-size:.85em}
      ul.legend span{display:inline-block;width:12px;height:12px;margin-right:5px;vertical-align:-1px}
      dl{display:grid;grid-template-columns:max-content 1fr;gap:4px 12px;margin:10px 0 0}dt{color:#5a6274}dd{margin:0}
      .note{font-size:.85em;color:#5a6274}
      footer{font-size:.8em;color:#5a6274;padding:4px 2px 20px;overflow-wrap:anywhere}
      @media (max-width:600px){main{padding:8px}header,section{padding:10px}dl{grid-template-columns:1fr}}
      @media print{body{background:#fff}header,section,.card{border:none;padding:0 0 8px}section{break-inside:avoid}
        a{color:inherit;text-decoration:none}}
      """;
}
