package dev.ipcboot.sample;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;

import dev.ipcboot.process.ManagedProcess;
import dev.ipcboot.process.ProcessManager;
import dev.ipcboot.process.ProcessRestartingEvent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The sample's options as the README lists them: the worker's crash demonstration is off
 * by default and shows a restart when asked for, and an accepted order reaches the
 * worker, which invoices it (logged at DEBUG).
 */
@ExtendWith(OutputCaptureExtension.class)
class SampleOptionsTests {

	@TempDir
	Path dir;

	@Test
	void workerDemoCrashesOnPurposeAndIsRestarted(CapturedOutput output) throws Exception {
		List<String> args = SampleSupport.ownResources(this.dir, SampleSupport.uniqueKey("sample-demo"));
		args.add("--order-desk.worker.demo=true");
		List<ProcessRestartingEvent> restarts = new CopyOnWriteArrayList<>();
		try (ConfigurableApplicationContext context = SampleSupport.run(args.toArray(String[]::new))) {
			context.addApplicationListener((ApplicationListener<ProcessRestartingEvent>) restarts::add);
			await().atMost(Duration.ofSeconds(60)).until(() -> !restarts.isEmpty());
			assertThat(restarts.get(0).resourceName()).isEqualTo("invoices");
			assertThat(output.getOut()).contains("crashing on purpose to show a restart (demo)");
			ManagedProcess worker = context.getBean(ProcessManager.class).find("invoices").orElseThrow();
			await().atMost(Duration.ofSeconds(30)).until(() -> worker.pid() > 0);
		}
	}

	@Test
	void acceptedOrderIsInvoicedByTheWorker(CapturedOutput output) throws Exception {
		List<String> args = SampleSupport.ownResources(this.dir, SampleSupport.uniqueKey("sample-invoice"));
		args.add("--logging.level.dev.ipcboot.sample=debug");
		try (ConfigurableApplicationContext context = SampleSupport.run(args.toArray(String[]::new))) {
			await().atMost(Duration.ofSeconds(30)).until(() -> output.getOut().contains("invoice worker ready"));
			String reply = SampleSupport.sh("echo '{\"item\":\"cake\",\"quantity\":3}' | socat -t 2 - UNIX-CONNECT:"
					+ this.dir.resolve("orders.sock"));
			assertThat(reply).contains("\"status\":\"accepted\"");
			await().atMost(Duration.ofSeconds(30))
				.until(() -> output.getOut().contains("worker wrote: invoice 1: 3 x cake = 12.00"));
			assertThat(output.getOut()).doesNotContain("crashing on purpose");
		}
	}

	@Test
	void ordersChannelSwitchedToTcpAnswersTheSameWithoutAPeerUid() throws Exception {
		List<String> args = SampleSupport.ownResources(this.dir, SampleSupport.uniqueKey("sample-tcp"));
		args.removeIf((arg) -> arg.startsWith("--ipc.servers.orders."));
		args.add("--ipc.servers.orders.transport=tcp");
		args.add("--ipc.servers.orders.port=0");
		try (ConfigurableApplicationContext context = SampleSupport.run(args.toArray(String[]::new))) {
			String port = context.getEnvironment().getProperty("local.ipc.server.orders.port");
			String reply = SampleSupport
				.sh("echo '{\"item\":\"tea\",\"quantity\":2}' | socat -t 2 - TCP:127.0.0.1:" + port);
			assertThat(reply.trim())
				.isEqualTo("{\"orderId\":1,\"item\":\"tea\",\"quantity\":2,\"total\":5.00,\"status\":\"accepted\","
						+ "\"customerUid\":null}");
		}
	}

}
