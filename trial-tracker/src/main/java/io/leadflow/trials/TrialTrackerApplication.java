package io.leadflow.trials;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

@SpringBootApplication
public class TrialTrackerApplication {

    public static void main(String[] args) {
        SpringApplication.run(TrialTrackerApplication.class, args);
    }
}
