package dev.atrium.tools;

import dev.atrium.config.AtriumConfig;
import dev.atrium.config.ConfigLoader;
import dev.atrium.index.BulkLoader;
import dev.atrium.index.Database;
import dev.atrium.partition.Partitions;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Fills the index with synthetic instances for the scale benchmark (issue #3), straight through
 * {@link BulkLoader}: no DICOM files, blob keys are dummies. Shape: every patient has 5 studies,
 * every study 4 series, every series 5 instances (100 instances per patient), so 1,000,000
 * instances are 10,000 patients, 50,000 studies and 200,000 series. Everything is a deterministic
 * function of the patient number, so the load is resumable: a second run with a larger
 * {@code --instances} adds patients until the target is reached (rounded up to whole patients).
 *
 * <p>Configuration as for Atrium itself (conf/atrium.yaml, ATRIUM_DATA_DIR, ATRIUM_DB_URL, ...).
 * Writes a sample of existing query keys (TSV) for the benchmark client.
 */
public final class SyntheticIndexLoader {
  static final String PATIENT_PREFIX = "SYN";
  static final String UID_ROOT = "1.2.826.0.1.3680043.9.7433.77";
  static final int STUDIES_PER_PATIENT = 5;
  static final int SERIES_PER_STUDY = 4;
  static final int INSTANCES_PER_SERIES = 5;
  static final int INSTANCES_PER_PATIENT = STUDIES_PER_PATIENT * SERIES_PER_STUDY * INSTANCES_PER_SERIES;

  static final String[] FAMILY = {"Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis",
      "Rodriguez", "Martinez", "Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson", "Thomas", "Taylor", "Moore",
      "Jackson", "Martin", "Lee", "Perez", "Thompson", "White", "Harris", "Sanchez", "Clark", "Ramirez", "Lewis",
      "Robinson", "Walker", "Young", "Allen", "King", "Wright", "Scott", "Torres", "Nguyen", "Hill", "Flores",
      "Green", "Adams", "Nelson", "Baker", "Hall", "Rivera", "Campbell", "Mitchell", "Carter", "Roberts", "Müller",
      "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Schulz", "Hoffmann", "Dubois",
      "Durand", "Lefebvre", "Moreau", "Laurent", "Simon", "Michel", "Rossi", "Russo", "Ferrari", "Esposito",
      "Bianchi", "Romano", "Colombo", "Ricci", "Marino", "Greco", "Bruno", "Gallo", "Conti", "Jensen", "Nielsen",
      "Hansen", "Pedersen", "Andersen", "Larsen", "Sørensen", "Rasmussen", "Kowalski", "Nowak", "Wiśniewski",
      "Novak", "Horvat", "Kovač", "Popescu", "Ionescu", "Papadopoulos", "Yilmaz", "Kaya", "Demir", "Sato",
      "Suzuki", "Takahashi", "Tanaka", "Watanabe", "Kim", "Park", "Choi", "Wang", "Li", "Zhang", "Liu", "Chen",
      "Yang", "Huang", "Zhao", "Wu", "Zhou", "Singh", "Kumar", "Sharma", "Patel", "Gupta", "Silva", "Santos",
      "Oliveira", "Souza", "Costa", "Pereira", "Almeida", "Johansson", "Karlsson", "Eriksson", "Olsen",
      "Virtanen", "Korhonen", "O'Brien", "Murphy", "Kelly", "Walsh", "McCarthy", "Byrne", "Ryan", "Doyle"};
  static final String[] GIVEN = {"John", "James", "Robert", "Michael", "William", "David", "Richard", "Joseph",
      "Thomas", "Charles", "Mary", "Patricia", "Jennifer", "Linda", "Elizabeth", "Barbara", "Susan", "Jessica",
      "Sarah", "Karen", "Anna", "Emma", "Olivia", "Sophia", "Mia", "Lukas", "Leon", "Finn", "Paul", "Jonas",
      "Marie", "Sophie", "Léa", "Chloé", "Hugo", "Louis", "Gabriel", "Giulia", "Francesco", "Alessandro",
      "Lars", "Mads", "Freja", "Ida", "Piotr", "Jan", "Ana", "Maria", "João", "Pedro", "Yuki", "Hiroshi", "Min",
      "Wei", "Jing", "Priya", "Arjun", "Fatma", "Mehmet", "Seán", "Aoife", "Johan", "Erik", "Elsa", "Noah"};
  static final String[] MODALITIES = {"CT", "MR", "CR", "US", "PT"};
  static final int[] MODALITY_WEIGHTS = {35, 25, 20, 12, 8};
  static final String[] BODY_PARTS = {"CHEST", "HEAD", "ABDOMEN", "PELVIS", "SPINE", "KNEE", "SHOULDER", "NECK"};
  static final LocalDate FIRST_DAY = LocalDate.of(2010, 1, 1);
  static final int DAYS = (int) (LocalDate.of(2024, 12, 31).toEpochDay() - FIRST_DAY.toEpochDay()) + 1;

  private SyntheticIndexLoader() {}

  public static void main(String[] args) throws Exception {
    long target = -1;
    int chunk = 50;
    Path keys = null;
    int samples = 2000;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--instances" -> target = Long.parseLong(args[++i]);
        case "--chunk-patients" -> chunk = Integer.parseInt(args[++i]);
        case "--keys" -> keys = Path.of(args[++i]);
        case "--samples" -> samples = Integer.parseInt(args[++i]);
        case "-h", "--help" -> {
          usage();
          return;
        }
        default -> {
          usage();
          System.exit(2);
        }
      }
    }
    if (target < 0) {
      usage();
      System.exit(2);
    }
    AtriumConfig config = ConfigLoader.load(System.getenv());
    Files.createDirectories(config.dataDir());
    if (keys == null) keys = config.dataDir().resolve("bench-keys.tsv");
    int targetPatients = (int) ((target + INSTANCES_PER_PATIENT - 1) / INSTANCES_PER_PATIENT);
    String partition = Partitions.DEFAULT;
    try (Database db = Database.open(config.db(), config.dataDir())) {
      BulkLoader loader = new BulkLoader(db);
      int have = loader.countPatients(partition, PATIENT_PREFIX);
      System.out.printf("loader: %s: %d synthetic patients (%d instances) present, target %d patients (%d instances)%n",
          config.db().embedded() ? "H2 under " + config.dataDir() : config.db().url(), have,
          (long) have * INSTANCES_PER_PATIENT, targetPatients, (long) targetPatients * INSTANCES_PER_PATIENT);
      long t0 = System.nanoTime();
      long written = 0;
      long lastReport = t0;
      for (int from = have; from < targetPatients; from += chunk) {
        List<BulkLoader.Patient> batch = new ArrayList<>();
        for (int k = from; k < Math.min(targetPatients, from + chunk); k++) batch.add(patient(k));
        written += loader.load(partition, batch);
        long now = System.nanoTime();
        if (now - lastReport > 10_000_000_000L || from + chunk >= targetPatients) {
          double s = (now - t0) / 1e9;
          System.out.printf("loader: +%d instances in %.1f s (%.0f instances/s), now %d patients%n", written, s,
              written / s, Math.min(targetPatients, from + chunk));
          lastReport = now;
        }
      }
      double s = (System.nanoTime() - t0) / 1e9;
      System.out.printf("loader: done: wrote %d instances in %.1f s%n", written, s);
      writeKeys(keys, Math.max(have, targetPatients), samples);
      System.out.println("loader: sample keys in " + keys);
    }
  }

  private static void usage() {
    System.err.println("usage: SyntheticIndexLoader --instances N [--chunk-patients 50] [--keys FILE] [--samples 2000]");
  }

  /** Patient number k (0-based) with all its studies; the same k always gives the same data. */
  static BulkLoader.Patient patient(int k) {
    SplittableRandom r = new SplittableRandom(0x5EEDL * 1_000_003L + k);
    String name = FAMILY[r.nextInt(FAMILY.length)] + "^" + GIVEN[r.nextInt(GIVEN.length)]
        + (r.nextInt(3) == 0 ? "^" + (char) ('A' + r.nextInt(26)) : "");
    LocalDate birth = LocalDate.of(1930, 1, 1).plusDays(r.nextInt(85 * 365));
    String sex = r.nextBoolean() ? "M" : "F";
    List<BulkLoader.Study> studies = new ArrayList<>();
    for (int j = 0; j < STUDIES_PER_PATIENT; j++) studies.add(study(k * STUDIES_PER_PATIENT + j, r));
    return new BulkLoader.Patient(patientId(k), "", name, birth, sex, studies);
  }

  private static BulkLoader.Study study(long st, SplittableRandom r) {
    LocalDate date = studyDate(st);
    LocalTime time = LocalTime.of(7 + r.nextInt(12), r.nextInt(60), r.nextInt(60));
    String modality = pickModality(r);
    String body = BODY_PARTS[r.nextInt(BODY_PARTS.length)];
    String referring = FAMILY[r.nextInt(FAMILY.length)] + "^" + GIVEN[r.nextInt(GIVEN.length)] + "^^Dr";
    List<BulkLoader.Series> series = new ArrayList<>();
    for (int m = 0; m < SERIES_PER_STUDY; m++) {
      long se = st * SERIES_PER_STUDY + m;
      // PET studies come with their CT (PT/CT); others have one modality.
      String mod = modality.equals("PT") && m % 2 == 1 ? "CT" : modality;
      List<BulkLoader.Instance> instances = new ArrayList<>();
      for (int n = 0; n < INSTANCES_PER_SERIES; n++) {
        long in = se * INSTANCES_PER_SERIES + n;
        boolean projection = mod.equals("CR");
        instances.add(new BulkLoader.Instance(UID_ROOT + ".3." + (in + 1), sopClass(mod), n + 1,
            "1.2.840.10008.1.2.1", projection ? 2048 : 512, projection ? 2048 : 512, 16, null,
            String.format("%032x", in * 0x9E3779B97F4A7C15L & Long.MAX_VALUE), projection ? 8_400_000L : 525_000L));
      }
      series.add(new BulkLoader.Series(UID_ROOT + ".2." + (se + 1), mod, m + 1, mod + " " + body + " " + (m + 1),
          body, date, time, instances));
    }
    return new BulkLoader.Study(studyUid(st), date, time, accession(st), String.valueOf(st % 100000 + 1),
        modality + " " + body, referring, series);
  }

  static String patientId(int k) {
    return PATIENT_PREFIX + String.format("%07d", k);
  }

  static String studyUid(long st) {
    return UID_ROOT + ".1." + (st + 1);
  }

  static String seriesUid(long se) {
    return UID_ROOT + ".2." + (se + 1);
  }

  static String accession(long st) {
    return String.format("A%09d", st + 1);
  }

  /** Spread uniformly over 2010-2024, independently of the load order. */
  static LocalDate studyDate(long st) {
    return FIRST_DAY.plusDays(new SplittableRandom(st * 0x2545F4914F6CDD1DL).nextInt(DAYS));
  }

  private static String pickModality(SplittableRandom r) {
    int x = r.nextInt(100);
    for (int i = 0; i < MODALITIES.length; i++) {
      x -= MODALITY_WEIGHTS[i];
      if (x < 0) return MODALITIES[i];
    }
    return MODALITIES[0];
  }

  private static String sopClass(String modality) {
    return switch (modality) {
      case "CT" -> "1.2.840.10008.5.1.4.1.1.2";
      case "MR" -> "1.2.840.10008.5.1.4.1.1.4";
      case "CR" -> "1.2.840.10008.5.1.4.1.1.1";
      case "US" -> "1.2.840.10008.5.1.4.1.1.6.1";
      default -> "1.2.840.10008.5.1.4.1.1.128";
    };
  }

  /**
   * A random sample of existing studies: patient_id, name_word (first 3 letters of the family
   * name, for fuzzy matching), date_range (the study's month), accession, study_uid, series_uid.
   */
  static void writeKeys(Path file, int patients, int samples) throws IOException {
    SplittableRandom r = new SplittableRandom(patients);
    try (PrintWriter out = new PrintWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8))) {
      out.println("patient_id\tname_word\tdate_range\taccession\tstudy_uid\tseries_uid");
      for (int i = 0; i < samples && patients > 0; i++) {
        int k = r.nextInt(patients);
        BulkLoader.Patient p = patient(k);
        BulkLoader.Study s = p.studies().get(r.nextInt(STUDIES_PER_PATIENT));
        BulkLoader.Series se = s.series().get(r.nextInt(SERIES_PER_STUDY));
        String family = p.patientName().substring(0, p.patientName().indexOf('^'));
        LocalDate month = s.studyDate().withDayOfMonth(1);
        String range = fmt(month) + "-" + fmt(month.plusMonths(1).minusDays(1));
        out.println(p.patientId() + "\t" + family.substring(0, Math.min(3, family.length())) + "\t" + range + "\t"
            + s.accessionNumber() + "\t" + s.studyInstanceUid() + "\t" + se.seriesInstanceUid());
      }
    }
  }

  private static String fmt(LocalDate d) {
    return String.format("%04d%02d%02d", d.getYear(), d.getMonthValue(), d.getDayOfMonth());
  }
}
