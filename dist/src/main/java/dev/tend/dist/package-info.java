/**
 * What the dist module builds beside the packages themselves: the man pages, generated from the picocli model the
 * {@code tend} command runs ({@link dev.tend.dist.ManPages}) and turned from picocli's AsciiDoc into troff
 * ({@link dev.tend.dist.ManPageTroff}). The packages (the tarball, the {@code .deb}) are assembled by Maven plugins
 * from the files under {@code src/main/dist} and {@code src/deb}; see the module's {@code pom.xml}.
 */
package dev.tend.dist;
