package dev.atrium.dimse;

import static dev.atrium.query.QueryAttributes.PATIENT_ID;
import static dev.atrium.query.QueryAttributes.SERIES_INSTANCE_UID;
import static dev.atrium.query.QueryAttributes.STUDY_INSTANCE_UID;

import dev.atrium.dicom.DataDictionary;
import dev.atrium.dicom.DicomIdentifier;
import dev.atrium.dicom.DicomIdentifier.Key;
import dev.atrium.dicom.SopClasses;
import dev.atrium.dicom.TagHex;
import dev.atrium.dimse.net.CommandSet;
import dev.atrium.dimse.net.DimseExchange;
import dev.atrium.dimse.net.DimseRequestHandler;
import dev.atrium.partition.Partitions;
import dev.atrium.query.InvalidQueryException;
import dev.atrium.query.QueryAttribute;
import dev.atrium.query.QueryAttributes;
import dev.atrium.query.QueryCatalog;
import dev.atrium.query.QueryEngine;
import dev.atrium.query.QueryLevel;
import dev.atrium.query.QueryMatch;
import dev.atrium.query.QueryRequest;
import dev.atrium.query.QuerySink;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * C-FIND SCP for the Patient Root and Study Root Query/Retrieve Information Models (PS3.4 C.4.1):
 * checks the identifier against the model's hierarchical rules, hands the query to the engine and
 * answers each match with a pending response holding exactly the requested keys. A return key the index does not
 * hold (SliceThickness, InstitutionName, …) comes from the instance the match stands for ({@link
 * dev.atrium.query.StoredAttributes}); where it has none, it comes back empty (PS3.4 C.2.2.1 allows either).
 */
final class FindScp implements DimseRequestHandler {
  private static final Logger log = LoggerFactory.getLogger(FindScp.class);

  private final QueryEngine engine;
  private final CalledAePartitions partitions;

  private final DimseAudit audit;

  FindScp(QueryEngine engine, CalledAePartitions partitions, DimseAudit audit) {
    this.partitions = partitions;
    this.audit = audit;
    this.engine = engine;
  }

  /** The query as the audit trail shows it: its level, then each match key as keyword=value. */
  private static String auditText(Translation query) {
    StringBuilder text = new StringBuilder(String.valueOf(query.level));
    query.request.matchKeys().forEach((tag, value) -> {
      String keyword = DataDictionary.keyword(tag);
      text.append(' ').append(keyword != null ? keyword : TagHex.display(tag)).append('=').append(value);
    });
    return text.toString();
  }

  static boolean isFind(String sopClassUid) {
    return SopClasses.PATIENT_ROOT_FIND.equals(sopClassUid) || SopClasses.STUDY_ROOT_FIND.equals(sopClassUid);
  }

  @Override
  public void handle(DimseExchange exchange, CommandSet request, InputStream dataSet) throws Exception {
    Translation query = InformationModel.readIdentifier(exchange, request, dataSet,
        (identifier, patientRoot) -> translate(identifier, patientRoot, engine.catalog()));
    if (query == null) return;

    Responder responder = new Responder(exchange, request, query);
    audit.queried(exchange, partitions.of(exchange), auditText(query));
    try {
      engine.find(query.request.inPartition(partitions.of(exchange)), responder);
    } catch (InvalidQueryException e) {
      InformationModel.finish(exchange, request, CommandSet.STATUS_DATA_SET_DOES_NOT_MATCH_SOP_CLASS, e.getMessage(),
          0);
      return;
    } catch (IOException | RuntimeException e) {
      if (responder.transportFailure != null) throw responder.transportFailure;
      log.warn("C-FIND on association {} failed", exchange.association(), e);
      InformationModel.finish(exchange, request, CommandSet.STATUS_CANNOT_UNDERSTAND,
          "unable to process: " + e.getMessage(), 0);
      return;
    }
    boolean cancelled = responder.cancelled || exchange.isCancelled();
    InformationModel.finish(exchange, request, cancelled ? CommandSet.STATUS_CANCEL : CommandSet.STATUS_SUCCESS, null,
        0);
  }

  /** The engine's query, and what every response identifier carries besides the match values. */
  private record Translation(QueryRequest request, QueryLevel level, SortedMap<Integer, Key> responseKeys,
      boolean unsupportedMatchKeys) {}

  static Translation translate(DicomIdentifier identifier, boolean patientRoot, QueryCatalog catalog) throws Refusal {
    QueryLevel level = InformationModel.level(identifier.level(), patientRoot);
    // PS3.4 C.4.1.2.2.1 / C.4.1.3.1: a single value for the unique key of every level above.
    List<Integer> uniqueAbove = new ArrayList<>();
    if (patientRoot && level.ordinal() >= QueryLevel.STUDY.ordinal()) uniqueAbove.add(PATIENT_ID);
    if (level.ordinal() >= QueryLevel.SERIES.ordinal()) uniqueAbove.add(STUDY_INSTANCE_UID);
    if (level == QueryLevel.INSTANCE) uniqueAbove.add(SERIES_INSTANCE_UID);
    for (int tag : uniqueAbove) {
      Key key = identifier.keys().get(tag);
      if (key == null || !InformationModel.isSingleValue(key.value())) {
        String keyword = QueryAttributes.byTag(tag).map(QueryAttribute::keyword).orElseThrow();
        throw new Refusal(CommandSet.STATUS_DATA_SET_DOES_NOT_MATCH_SOP_CLASS,
            level.dicomName() + " level needs one " + keyword + " " + InformationModel.tagString(tag), tag);
      }
    }

    Map<Integer, String> matchKeys = new HashMap<>();
    Set<Integer> returnKeys = new LinkedHashSet<>(uniqueAbove);
    SortedMap<Integer, Key> responseKeys = new TreeMap<>();
    boolean unsupportedMatchKeys = false;
    for (Map.Entry<Integer, Key> entry : identifier.keys().entrySet()) {
      int tag = entry.getKey();
      String value = entry.getValue().value();
      Optional<QueryAttribute> known = catalog.byTag(tag).filter(a -> sameCreator(a, identifier));
      if (isPrivateCreator(tag)) {
        responseKeys.put(tag, entry.getValue()); // echoed, so the private keys returned stay identifiable
      } else if (known.isPresent()) {
        returnKeys.add(tag);
        if (!value.isEmpty()) matchKeys.put(tag, value);
        responseKeys.put(tag, new Key(known.get().vr(), ""));
      } else {
        // PS3.4 C.2.2.1: an optional key we do not match on is returned with zero length, or with its value where
        // the instance the match stands for has one.
        responseKeys.put(tag, new Key(entry.getValue().vr(), ""));
        unsupportedMatchKeys |= !value.isEmpty();
        if (!entry.getValue().vr().equals("SQ") && catalog.isStored(tag)) returnKeys.add(tag);
      }
    }
    for (int tag : uniqueAbove) {
      responseKeys.putIfAbsent(tag, new Key(QueryAttributes.byTag(tag).orElseThrow().vr(), ""));
    }
    QueryRequest request = new QueryRequest(Partitions.DEFAULT, level, matchKeys, false, returnKeys, 0, 0);
    return new Translation(request, level, responseKeys, unsupportedMatchKeys);
  }

  /** (gggg,0010-00FF) of an odd group reserves a private block (PS3.5 7.8.1). */
  private static boolean isPrivateCreator(int tag) {
    int element = tag & 0xFFFF;
    return (tag >>> 16 & 1) == 1 && element >= 0x0010 && element <= 0x00FF;
  }

  /**
   * A private extended query tag is the key only when the identifier reserves its block for the
   * same private creator; otherwise the element means something else and is an unknown key.
   */
  private static boolean sameCreator(QueryAttribute a, DicomIdentifier identifier) {
    if (!a.extended() || a.extension().privateCreator() == null) return true;
    Key creator = identifier.keys().get((a.tag() & 0xFFFF0000) | ((a.tag() >>> 8) & 0xFF));
    return creator != null && creator.value().strip().equals(a.extension().privateCreator());
  }

  /** Sends each match as a pending response; stops sending once the SCU cancelled. */
  private static final class Responder implements QuerySink {
    private final DimseExchange exchange;
    private final CommandSet request;
    private final Translation query;
    boolean cancelled;
    IOException transportFailure;

    Responder(DimseExchange exchange, CommandSet request, Translation query) {
      this.exchange = exchange;
      this.request = request;
      this.query = query;
    }

    @Override
    public void accept(QueryMatch match) throws IOException {
      if (cancelled()) return;
      SortedMap<Integer, Key> keys = new TreeMap<>(query.responseKeys);
      for (Map.Entry<Integer, Key> key : keys.entrySet()) {
        String value = match.get(key.getKey());
        if (value != null && !value.isEmpty()) key.setValue(new Key(key.getValue().vr(), value));
      }
      byte[] identifier = DicomIdentifier.write(exchange.transferSyntaxUid(), query.level.dicomName(), keys);
      // PS3.4 C.4.1.1.4: FF01 when optional keys were not supported for matching.
      CommandSet response = CommandSet.responseTo(request, CommandSet.C_FIND_RSP,
          query.unsupportedMatchKeys ? CommandSet.STATUS_PENDING_WARNING : CommandSet.STATUS_PENDING);
      try {
        exchange.sendResponse(response, out -> out.write(identifier));
      } catch (IOException e) {
        transportFailure = e;
        throw e;
      }
    }

    @Override
    public boolean cancelled() {
      if (!cancelled && exchange.isCancelled()) cancelled = true;
      return cancelled;
    }
  }
}
