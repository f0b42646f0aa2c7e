package dev.atrium.support;

import com.pixelmed.dicom.DicomInputStream;
import com.pixelmed.network.Association;
import com.pixelmed.network.AssociationFactory;
import com.pixelmed.network.PresentationContext;
import com.pixelmed.network.StorageSOPClassSCU;
import java.nio.file.Path;
import java.util.LinkedList;

/**
 * A C-STORE SCU that lets the test choose the Affected SOP Class, which dcmtk's storescu
 * always takes from the file: PixelMed's network code as a second, independent real peer.
 * One association for all sends, so a failure status that aborted it would show.
 */
public final class PixelMedStorageScu extends StorageSOPClassSCU implements AutoCloseable {
  private static final String EXPLICIT_LE = "1.2.840.10008.1.2.1";
  private final Association association;

  public PixelMedStorageScu(String host, int port, String calledAe) throws Exception {
    super();
    LinkedList<PresentationContext> contexts = new LinkedList<>();
    byte id = 1;
    for (String sopClass : new String[] {"1.2.840.10008.5.1.4.1.1.2", "1.2.840.10008.5.1.4.1.1.4"}) {
      LinkedList<String> syntaxes = new LinkedList<>();
      syntaxes.add(EXPLICIT_LE);
      contexts.add(new PresentationContext(id, sopClass, syntaxes));
      id += 2;
    }
    association = AssociationFactory.createNewAssociation(host, port, calledAe, "PIXELMEDSCU", contexts, null,
        false, 0);
  }

  /** True when the archive answered Success. */
  public boolean send(Path file, String affectedSopClass, String affectedSopInstance) throws Exception {
    byte context = association.getSuitablePresentationContextID(affectedSopClass, EXPLICIT_LE);
    try (DicomInputStream in = new DicomInputStream(file.toFile())) {
      return sendOneSOPInstance(association, affectedSopClass, affectedSopInstance, EXPLICIT_LE, in, context,
          "PIXELMEDSCU");
    }
  }

  @Override
  public void close() throws Exception {
    association.release();
  }
}
