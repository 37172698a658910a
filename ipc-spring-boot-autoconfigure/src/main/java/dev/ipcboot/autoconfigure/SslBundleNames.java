package dev.ipcboot.autoconfigure;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.ssl.NoSuchSslBundleException;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.util.StringUtils;

import dev.ipcboot.IpcConfigurationException;

/**
 * The SSL bundle an {@code ssl-bundle} property names, for servers and clients alike;
 * start-up fails naming the property when it names none that exists.
 */
final class SslBundleNames {

	private SslBundleNames() {
	}

	/**
	 * Look the bundle up.
	 * @param property the {@code ...ssl-bundle} property, for the error
	 * @param bundle its value, empty or {@code null} for none
	 * @param sslBundles Boot's bundles, {@code null} when there are none
	 * @return the bundle, {@code null} when none is named
	 * @throws dev.ipcboot.IpcConfigurationException if the named bundle does not exist
	 */
	static @Nullable SslBundle resolve(String property, @Nullable String bundle, @Nullable SslBundles sslBundles) {
		if (!StringUtils.hasText(bundle)) {
			return null;
		}
		if (sslBundles == null) {
			throw new IpcConfigurationException(property,
					"SSL bundle '" + bundle + "' is named but no SslBundles bean exists",
					"Define the bundle under spring.ssl.bundle.jks." + bundle + " or spring.ssl.bundle.pem." + bundle
							+ " and keep Spring Boot's SslAutoConfiguration enabled.");
		}
		try {
			return sslBundles.getBundle(bundle);
		}
		catch (NoSuchSslBundleException ex) {
			throw new IpcConfigurationException(property, "there is no SSL bundle '" + bundle + "'",
					"Define it under spring.ssl.bundle.jks." + bundle + " or spring.ssl.bundle.pem." + bundle
							+ ", or correct the name.");
		}
	}

}
