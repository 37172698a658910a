package dev.ipcboot.socket.udp;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import dev.ipcboot.testsupport.Tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Multicast between processes, where no datagram can reach a network: the test makes a
 * network namespace of its own ({@code unshare --net}, only {@code lo} up, the multicast
 * route on {@code lo}), starts two application instances in it that join 239.1.2.3, and a
 * third peer (Python, time-to-live 0) sends one datagram to the group: both instances
 * receive it and both replies reach the sender. Then one instance sends to the group
 * through its multicast {@code IpcClient}, and both receive that too.
 */
class UdpMulticastNamespaceTests {

	private static final String GROUP = "239.1.2.3";

	private static final int PORT = 4446;

	@Test
	void twoInstancesInAPrivateNamespaceBothReceiveOneMulticastDatagramFromAThirdPeer() throws Exception {
		Tools.requireRoot("unshare --net makes a network namespace");
		Path unshare = Tools.require("unshare", "util-linux");
		Path ip = Tools.require("ip", "iproute2");
		Path nsenter = Tools.require("nsenter", "util-linux");
		String python = Tools.requirePythonModule("socket", "python3");
		List<Process> started = new ArrayList<>();
		try {
			// the namespace lives as long as this process; closing its stdin ends it
			Process holder = new ProcessBuilder(unshare.toString(), "--net", "/bin/sh", "-c",
					ip + " link set lo up && " + ip + " link set lo multicast on && " + ip
							+ " route add 224.0.0.0/4 dev lo src 127.0.0.1 && echo NETNS READY && exec cat")
				.redirectErrorStream(true)
				.start();
			started.add(holder);
			List<String> namespace = collect(holder, "netns");
			await().atMost(Duration.ofSeconds(30)).until(() -> namespace.contains("NETNS READY") || !holder.isAlive());
			assertThat(namespace).as("namespace set-up").contains("NETNS READY");
			List<String> inside = List.of(nsenter.toString(), "-t", String.valueOf(holder.pid()), "-n");

			Process first = member(inside, started, "--ipc.servers.group.multicast-interface=lo",
					"--ipc.clients.announce.transport=udp", "--ipc.clients.announce.multicast-group=" + GROUP,
					"--ipc.clients.announce.port=" + PORT, "--ipc.clients.announce.multicast-time-to-live=0");
			Process second = member(inside, started);
			List<String> firstOut = collect(first, "member-1");
			List<String> secondOut = collect(second, "member-2");
			String firstPid = ready(first, firstOut);
			String secondPid = ready(second, secondOut);

			// the third peer, inside the namespace too
			String script = """
					import socket, sys
					s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
					s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_TTL, 0)
					s.settimeout(30)
					s.sendto(b"hello-group", (sys.argv[1], int(sys.argv[2])))
					replies = sorted(s.recvfrom(65535)[0].decode() for _ in range(2))
					print(" ".join(replies))
					""";
			List<String> command = new ArrayList<>(inside);
			command.addAll(List.of(python, "-c", script, GROUP, String.valueOf(PORT)));
			Process sender = new ProcessBuilder(command).redirectErrorStream(true).start();
			started.add(sender);
			assertThat(sender.waitFor(60, TimeUnit.SECONDS)).as("the sender got its replies").isTrue();
			String replies = new String(sender.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
			assertThat(sender.exitValue()).as("%s\nmember 1: %s\nmember 2: %s", replies, firstOut, secondOut).isZero();
			assertThat(replies.split(" ")).as("one reply from each member")
				.containsExactlyInAnyOrder("ack:" + firstPid + ":hello-group", "ack:" + secondPid + ":hello-group");
			assertThat(received(firstOut, "hello-group")).hasSize(1)
				.allMatch((line) -> line.contains(" FROM 127.0.0.1:"));
			assertThat(received(secondOut, "hello-group")).hasSize(1);

			// the starter's own multicast client, time-to-live 0, loopback on
			command(first, "announce from-member-1");
			await().atMost(Duration.ofSeconds(30))
				.until(() -> received(firstOut, "from-member-1").size() == 1
						&& received(secondOut, "from-member-1").size() == 1);

			for (Process member : List.of(first, second)) {
				command(member, "stop");
				assertThat(member.waitFor(60, TimeUnit.SECONDS)).isTrue();
			}
			assertThat(firstOut).contains("MEMBER STOPPED threads=[]");
			assertThat(secondOut).contains("MEMBER STOPPED threads=[]");
			holder.getOutputStream().close();
			assertThat(holder.waitFor(30, TimeUnit.SECONDS)).as("the namespace's holder ended").isTrue();
		}
		finally {
			for (Process process : started) {
				process.descendants().forEach(ProcessHandle::destroyForcibly);
				process.destroyForcibly();
				process.waitFor(30, TimeUnit.SECONDS);
			}
		}
	}

	private static Process member(List<String> inside, List<Process> started, String... extra) throws IOException {
		List<String> command = new ArrayList<>(inside);
		command.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-XX:+UseSerialGC",
				"-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
				MulticastMemberApplication.class.getName(), "--spring.main.banner-mode=off", "--NOTIFY_SOCKET=",
				"--ipc.shared-memory.enabled=false", "--ipc.semaphores.enabled=false", "--ipc.dbus.enabled=false",
				"--ipc.processes.enabled=false", "--ipc.session.enabled=false", "--ipc.servers.group.transport=udp",
				"--ipc.servers.group.multicast-group=" + GROUP, "--ipc.servers.group.port=" + PORT));
		command.addAll(List.of(extra));
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		started.add(process);
		return process;
	}

	private static String ready(Process process, List<String> lines) {
		await().atMost(Duration.ofSeconds(120))
			.until(() -> lines.stream().anyMatch((line) -> line.startsWith("MEMBER READY pid=")) || !process.isAlive());
		String ready = lines.stream()
			.filter((line) -> line.startsWith("MEMBER READY pid="))
			.findFirst()
			.orElseThrow(() -> new AssertionError("member did not start:\n" + String.join("\n", lines)));
		return ready.substring("MEMBER READY pid=".length()).strip();
	}

	private static List<String> received(List<String> lines, String payload) {
		return lines.stream().filter((line) -> line.startsWith("MEMBER RECEIVED " + payload + " ")).toList();
	}

	private static void command(Process process, String line) throws IOException {
		OutputStream in = process.getOutputStream();
		in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
		in.flush();
	}

	private static List<String> collect(Process process, String name) {
		List<String> lines = new CopyOnWriteArrayList<>();
		Thread reader = new Thread(() -> {
			try (BufferedReader in = new BufferedReader(
					new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
				String line;
				while ((line = in.readLine()) != null) {
					lines.add(line);
				}
			}
			catch (IOException ex) {
				lines.add("OUTPUT FAILED " + ex);
			}
		}, "multicast-" + name + "-output");
		reader.setDaemon(true);
		reader.start();
		return lines;
	}

}
