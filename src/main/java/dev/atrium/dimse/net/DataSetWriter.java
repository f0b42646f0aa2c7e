package dev.atrium.dimse.net;

import java.io.IOException;
import java.io.OutputStream;

/** Writes a data set (already encoded in the presentation context's transfer syntax); the layer fragments it into PDVs. */
@FunctionalInterface
public interface DataSetWriter {
    void writeTo(OutputStream out) throws IOException;
}
