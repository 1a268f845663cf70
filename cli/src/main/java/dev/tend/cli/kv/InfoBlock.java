package dev.tend.cli.kv;

import dev.tend.cli.output.Values;
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
        if (s.cluster() != null) {
            lines.add(new String[] {"Cluster", cluster(s.cluster())});
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

    /** E.g. {@code tend-test, leader n2, replicas n1 current, n3 offline}. */
    static String cluster(BucketStatus.Cluster cluster) {
        StringBuilder sb = new StringBuilder(cluster.name());
        sb.append(", leader ").append(cluster.leader() == null ? "none (electing)" : cluster.leader());
        if (!cluster.replicas().isEmpty()) {
            sb.append(", replicas ");
            for (int i = 0; i < cluster.replicas().size(); i++) {
                BucketStatus.Peer p = cluster.replicas().get(i);
                sb.append(i == 0 ? "" : ", ").append(p.name()).append(' ')
                        .append(p.offline() ? "offline" : p.current() ? "current" : "catching up");
            }
        }
        return sb.toString();
    }

    static String limit(long bytes) {
        return bytes == BucketConfig.UNLIMITED ? "unlimited" : ByteSizes.format(bytes);
    }
}
