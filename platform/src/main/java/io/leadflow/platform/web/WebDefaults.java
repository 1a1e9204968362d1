package io.leadflow.platform.web;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.PropertiesPropertySource;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.support.PropertiesLoaderUtils;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Server defaults every Leadflow web application shares, from {@code leadflow-web-defaults.properties}: Tomcat's
 * read timeout ({@code LEADFLOW_HTTP_READ_TIMEOUT}) and keep-alive bounds, and an error page without internals.
 * Added with the lowest precedence, so a service's application.yml, the environment or the command line still
 * decide.
 */
public class WebDefaults implements EnvironmentPostProcessor {

    static final String SOURCE = "leadflow-web-defaults";
    static final String LOCATION = "leadflow-web-defaults.properties";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        if (environment.getPropertySources().contains(SOURCE)) {
            return;
        }
        try {
            environment.getPropertySources().addLast(new PropertiesPropertySource(SOURCE,
                    PropertiesLoaderUtils.loadProperties(new ClassPathResource(LOCATION, WebDefaults.class.getClassLoader()))));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + LOCATION, e);
        }
    }
}
