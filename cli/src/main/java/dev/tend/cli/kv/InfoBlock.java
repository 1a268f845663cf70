package dev.tend.cli.kv;

import dev.tend.kv.BucketConfig;
import dev.tend.kv.BucketStatus;
import dev.tend.units.ByteSizes;
import dev.tend.units.Durations;

import java.util.ArrayList;
import java.util.List;

/** The bucket information block of {@code add}, {@code info} and {@code edit}: labels right-aligned. */
public final class InfoBlock {

    private InfoBlock() {
    }

    public static String render(BucketStatus s, String store) {
        BucketConfig c = s.config();
        List<String[]> lines = new ArrayList<>();
        lines.add(new String[] {"Bucket Name", c.name()});
        if (!c.description().isEmpty()) {
            lines.add(new String[] {"Description", c.description()});
        }
        lines.add(new String[] {"Values Stored", Long.toString(s.values())});
        lines.add(new String[] {"History", Integer.toString(c.history())});
        lines.add(new String[] {"TTL", Durations.format(c.ttl())});
        lines.add(new String[] {"Max Bucket Size", limit(c.maxBucketSize())});
        lines.add(new String[] {"Max Value Size", limit(c.maxValueSize())});
        lines.add(new String[] {"Replicas", Integer.toString(c.replicas())});
        if (c.mirror() != null) {
            lines.add(new String[] {"Mirror Of", c.mirror()});
        }
        lines.add(new String[] {"Bytes Stored", ByteSizes.format(s.bytes())});
        lines.add(new String[] {"Backend", s.backend()});
        if (store != null) {
            lines.add(new String[] {"Store", store});
        }
        int width = 0;
        for (String[] l : lines) {
            width = Math.max(width, l[0].length());
        }
        StringBuilder sb = new StringBuilder();
        sb.append(c.name()).append(" Key-Value Store\n\n");
        for (String[] l : lines) {
            sb.append(" ".repeat(width + 1 - l[0].length())).append(l[0]).append(": ").append(l[1]).append('\n');
        }
        return sb.toString();
    }

    static String limit(long bytes) {
        return bytes == BucketConfig.UNLIMITED ? "unlimited" : ByteSizes.format(bytes);
    }
}
