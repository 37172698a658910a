package dev.ipcboot.startup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;

import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * The application of {@link NothingConfiguredStartupTests}, run in a child JVM: starts
 * with the arguments it is given, then prints what it sees while the context runs, one
 * {@code key=value} line each: {@code threads} (started during the run and still alive),
 * {@code sockets} (descriptors opened during the run), {@code signal.TERM} and the others
 * (the class of the handler in place), then closes the context. With {@code listener} as
 * first argument it has a listener of {@code SessionShutdownEvent}.
 */
public final class StartupProbeApplication {

	private StartupProbeApplication() {
	}

	public static void main(String[] args) throws IOException {
		boolean listener = args.length > 0 && args[0].equals("listener");
		Set<Long> before = Thread.getAllStackTraces().keySet().stream().map(Thread::getId).collect(Collectors.toSet());
		Set<String> socketsBefore = sockets();
		SpringApplication application = new SpringApplication(
				listener ? ListeningApplication.class : PlainApplication.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		String[] rest = (args.length > 0 && args[0].equals("listener"))
				? List.of(args).subList(1, args.length).toArray(String[]::new) : args;
		ConfigurableApplicationContext context = application.run(rest);
		List<String> threads = new ArrayList<>();
		for (Thread thread : Thread.getAllStackTraces().keySet()) {
			if (!before.contains(thread.getId()) && thread.isAlive()) {
				threads.add(thread.getName());
			}
		}
		Set<String> sockets = sockets();
		sockets.removeAll(socketsBefore);
		System.out.println("threads=" + String.join(",", new TreeSet<>(threads)));
		System.out.println("sockets=" + sockets.size());
		System.out.println("beans=" + String.join(",", beansOfOurs(context)));
		for (String name : List.of("TERM", "INT", "HUP")) {
			Signal signal = new Signal(name);
			SignalHandler probe = (received) -> {
			};
			SignalHandler current = Signal.handle(signal, probe);
			Signal.handle(signal, current);
			System.out.println("signal." + name + "=" + current.getClass().getName());
		}
		context.close();
		System.out.println("closed");
	}

	/**
	 * The bean definitions of ours: those whose class, or whose factory method's
	 * configuration class, is in a package of the starter.
	 */
	private static Set<String> beansOfOurs(ConfigurableApplicationContext context) {
		ConfigurableListableBeanFactory beanFactory = context.getBeanFactory();
		Set<String> ours = new TreeSet<>();
		for (String name : beanFactory.getBeanDefinitionNames()) {
			BeanDefinition definition = beanFactory.getBeanDefinition(name);
			String type = definition.getBeanClassName();
			String factory = (definition.getFactoryBeanName() != null)
					? beanFactory.getBeanDefinition(definition.getFactoryBeanName()).getBeanClassName() : null;
			if (isOurs(name) || isOurs(type) || isOurs(factory)) {
				ours.add(name);
			}
		}
		return ours;
	}

	private static boolean isOurs(String name) {
		return name != null && name.startsWith("dev.ipcboot.") && !name.startsWith("dev.ipcboot.startup.");
	}

	private static Set<String> sockets() throws IOException {
		Set<String> sockets = new TreeSet<>();
		try (Stream<Path> descriptors = Files.list(Path.of("/proc/self/fd"))) {
			for (Path descriptor : (Iterable<Path>) descriptors::iterator) {
				try {
					String target = Files.readSymbolicLink(descriptor).toString();
					if (target.startsWith("socket:")) {
						sockets.add(descriptor.getFileName() + "->" + target);
					}
				}
				catch (IOException ex) {
					// the descriptor of the listing itself, closed by now
				}
			}
		}
		return sockets;
	}

	/** An application with no bean of its own. */
	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class PlainApplication {

	}

	/** The same with a listener of the shutdown event. */
	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import(ShutdownListener.class)
	static class ListeningApplication {

	}

	/** Saves its work on shutdown. */
	static class ShutdownListener {

		@org.springframework.context.event.EventListener
		void save(dev.ipcboot.session.SessionShutdownEvent event) {
		}

	}

}
