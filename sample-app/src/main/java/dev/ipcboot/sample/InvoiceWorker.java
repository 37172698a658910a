package dev.ipcboot.sample;

import java.io.IOException;
import java.io.InputStream;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.context.event.EventListener;
import org.springframework.core.io.ClassPathResource;
import org.springframework.messaging.handler.annotation.Header;
import org.springframework.stereotype.Component;

import dev.ipcboot.process.ProcessHeaders;
import dev.ipcboot.listener.IpcListener;
import dev.ipcboot.process.ProcessFinishedEvent;
import dev.ipcboot.process.ProcessGaveUpEvent;
import dev.ipcboot.process.ProcessManager;
import dev.ipcboot.process.ProcessRestartingEvent;
import dev.ipcboot.process.ProcessStartedEvent;

/**
 * Processes: supervises the invoice worker ({@code ipc.processes.invoices}), a Python
 * script that this class copies from the class path into the desk's private directory
 * before the worker starts (so the desk runs from any working directory). The desk hands
 * it every accepted order; its invoices are logged at DEBUG, what it says on stderr at
 * INFO, and the events of its life at INFO. Its crash demonstration is off unless
 * {@code order-desk.worker.demo=true}.
 */
@Component
class InvoiceWorker {

	static final String SCRIPT = "invoice_worker.py";

	private static final Log logger = LogFactory.getLog(InvoiceWorker.class);

	private final ProcessManager processes;

	InvoiceWorker(StateDirectory directory, ProcessManager processes) throws IOException {
		this.processes = processes;
		try (InputStream script = new ClassPathResource("worker/" + SCRIPT).getInputStream()) {
			directory.write(SCRIPT, script.readAllBytes(), "r-x------");
		}
	}

	/**
	 * Hand the worker an order to invoice; dropped (at DEBUG) while it is not running.
	 * @param line {@code order <id> <quantity> <item> <unit price>}
	 */
	void invoice(String line) {
		this.processes.find("invoices").ifPresent((worker) -> {
			try {
				worker.write(line + "\n");
			}
			catch (RuntimeException ex) {
				logger.debug("The invoice worker is not running; no invoice for: " + line, ex);
			}
		});
	}

	@IpcListener("invoices")
	void line(String line, @Header(ProcessHeaders.STREAM) String stream) {
		if ("stderr".equals(stream)) {
			logger.info("worker says: " + line);
		}
		else {
			logger.debug("worker wrote: " + line);
		}
	}

	@EventListener
	void started(ProcessStartedEvent event) {
		logger.info("process '" + event.resourceName() + "' started, pid " + event.getPid());
	}

	@EventListener
	void finished(ProcessFinishedEvent event) {
		logger.info(event.toString());
	}

	@EventListener
	void restarting(ProcessRestartingEvent event) {
		logger.info(event.toString());
	}

	@EventListener
	void gaveUp(ProcessGaveUpEvent event) {
		logger.error("supervision gave up on '" + event.resourceName() + "' after " + event.getRestarts()
				+ " restarts within " + event.getWindow());
	}

}
