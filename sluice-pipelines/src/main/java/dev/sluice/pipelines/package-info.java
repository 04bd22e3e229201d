package dev.sluice.pipelines;
