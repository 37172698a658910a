package dev.ipcboot.bench.startup;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;

/**
 * The application of {@link dev.ipcboot.bench.StartupComparison}: no bean of its own, so
 * that the same class runs with and without the starter; with {@code facilities=all} the
 * starter's properties give it one of each facility. It has a package of its own because
 * Boot scans the application's package (for {@code @JsonMixin} classes, for example), and
 * the benchmark package holds classes of every library.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
public class StartupApplication {

}
