package dev.atrium.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The OHIF Viewer as its maintainers build and publish it: the npm package @ohif/app, whose dist/ is the whole web
 * application (index.html, bundles, WebAssembly codecs). Fetched once with npm (verified against the registry's
 * integrity hash) into a cache outside the work tree.
 */
public final class OhifDist {
  public static final String VERSION = "3.13.2";

  private OhifDist() {}

  /** The dist/ directory, fetched on first use. */
  public static Path get() throws Exception {
    Path cache = Path.of(System.getProperty("user.home"), ".cache", "atrium-test", "ohif-app-" + VERSION);
    Path dist = cache.resolve("package").resolve("dist");
    Path complete = cache.resolve("complete");
    if (Files.exists(complete)) return dist;
    Files.createDirectories(cache);
    Dcmtk.Result pack = Dcmtk.run(600, List.of("npm", "pack", "--silent", "@ohif/app@" + VERSION,
        "--pack-destination", cache.toString()));
    assertThat(pack.exitCode()).as("npm pack @ohif/app@%s: %s", VERSION, pack.output()).isZero();
    Path tarball = cache.resolve("ohif-app-" + VERSION + ".tgz");
    Dcmtk.Result unpack = Dcmtk.run(600, List.of("tar", "xzf", tarball.toString(), "-C", cache.toString()));
    assertThat(unpack.exitCode()).as("tar: %s", unpack.output()).isZero();
    assertThat(dist.resolve("index.html")).isRegularFile();
    Files.delete(tarball);
    Files.createFile(complete);
    return dist;
  }
}
