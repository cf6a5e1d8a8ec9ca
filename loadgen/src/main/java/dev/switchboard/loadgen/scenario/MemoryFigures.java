package dev.switchboard.loadgen.scenario;

import dev.switchboard.loadgen.report.Measurements;
import dev.switchboard.loadgen.target.MemoryProbe;

/** A process's memory before and after a scenario put its load on it, and the cost of one unit of that load. */
final class MemoryFigures {

    /** How far two samples of an idle service's collected heap or RSS lie apart here. */
    private static final long NOISE = 4L << 20;

    private MemoryFigures() {
    }

    /**
     * @param process the process measured, such as {@code room-service}
     * @param units   how many of {@code unit} (such as {@code participant}) were held when {@code after} was taken
     */
    static void report(Measurements m, String process, MemoryProbe.Sample before, MemoryProbe.Sample after, long units,
                       String unit) {
        m.figure(process + " heap before", mib(before.heap()), "MiB");
        m.figure(process + " heap with " + units + " " + unit + "s", mib(after.heap()), "MiB");
        m.figure(process + " RSS before", mib(before.rss()), "MiB");
        m.figure(process + " RSS with " + units + " " + unit + "s", mib(after.rss()), "MiB");
        if (units > 0) {
            perUnit(m, process + " heap per " + unit, before.heap(), after.heap(), units);
            perUnit(m, process + " RSS per " + unit, before.rss(), after.rss(), units);
        }
    }

    /**
     * The growth of one memory figure divided by the units that caused it, when it is a measurement:
     * a collected heap still varies by a few MiB from one sample to the next (buffers, caches), and RSS
     * also shrinks when the JVM returns freed pages to the OS. A growth below that noise gives no
     * per-unit figure, only a note.
     */
    private static void perUnit(Measurements m, String name, long before, long after, long units) {
        if (after - before >= NOISE) {
            m.figure(name, Math.round((after - before) / (double) units), "bytes");
        } else {
            m.note(name + ": went from " + mib(before) + " to " + mib(after) + " MiB, within the "
                    + mib(NOISE) + " MiB two samples differ by anyway: too few for a per-unit figure");
        }
    }

    static double mib(long bytes) {
        return Math.round(bytes / (double) (1 << 20) * 10) / 10.0;
    }
}
