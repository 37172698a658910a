package dev.ipcboot.socket.internal;

import java.time.Duration;
import java.util.Arrays;
import java.util.TreeSet;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;

import static org.awaitility.Awaitility.await;

import dev.ipcboot.socket.IpcClient;

/**
 * The application of {@link EngineExitThreadsTests}, run in a child JVM. With
 * {@code server} as first argument: a local server (the {@code echo} listener) asked once
 * through the request client {@code plain}. With {@code subscriber}: the same server and
 * a subscribing client {@code feed} on the socket engine, which receives one push and
 * makes one request. Then the context is closed and the application prints
 * {@code after-close=} with every live thread that would keep the JVM from exiting (not a
 * daemon) or that is Netty's {@code globalEventExecutor}, other than the main thread, and
 * {@code ours-after-close=} with the live {@code ipc-} threads. It never calls
 * {@code System.exit}: the JVM ends when its last non-daemon thread does.
 */
public final class EngineExitApplication {

	private EngineExitApplication() {
	}

	public static void main(String[] args) {
		boolean subscriber = args[0].equals("subscriber");
		SpringApplication application = new SpringApplication(
				subscriber ? SubscriberApplication.class : ServerApplication.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		ConfigurableApplicationContext context = application.run(Arrays.copyOfRange(args, 1, args.length));
		if (subscriber) {
			SocketIpcClient client = context.getBean("ipc.clients.feed", SocketIpcClient.class);
			SocketServer server = context.getBean(SocketServers.class).get("echo");
			await().atMost(Duration.ofSeconds(30))
				.until(() -> client.isSubscribed() && server.connections().size() == 1);
			server.broadcast("pushed");
			SocketDuplexTests.Feed feed = context.getBean(SocketDuplexTests.Feed.class);
			await().atMost(Duration.ofSeconds(30)).until(() -> feed.received.contains("pushed"));
			System.out.println("reply=" + client.request("ping", String.class));
		}
		else {
			IpcClient client = context.getBean("ipc.clients.plain", IpcClient.class);
			System.out.println("reply=" + client.request("ping", String.class));
		}
		context.close();
		TreeSet<String> lingering = new TreeSet<>();
		TreeSet<String> ours = new TreeSet<>();
		for (Thread thread : Thread.getAllStackTraces().keySet()) {
			if (!thread.isAlive() || thread == Thread.currentThread()) {
				continue;
			}
			if (!thread.isDaemon() || thread.getName().startsWith("globalEventExecutor")) {
				lingering.add(thread.getName());
			}
			if (thread.getName().startsWith("ipc-")) {
				ours.add(thread.getName());
			}
		}
		System.out.println("after-close=" + String.join(",", lingering));
		System.out.println("ours-after-close=" + String.join(",", ours));
	}

	/** A server only. */
	@SpringBootConfiguration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	@Import(EchoListener.class)
	static class ServerApplication {

	}

	/** A server and a listener of the subscribing client {@code feed}. */
	@SpringBootConfiguration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	@Import({ EchoListener.class, SocketDuplexTests.Feed.class })
	static class SubscriberApplication {

	}

}
