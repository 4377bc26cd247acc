"""Counts the words of every file under INPUT and writes `word<TAB>count` lines to OUTPUT
(replacing what an earlier run wrote), plus OUTPUT/_hosts: which hosts counted how many lines.

Usage: wordcount.py INPUT OUTPUT (directories every host of the cluster sees)."""

import os
import shutil
import socket
import sys

from pyspark.sql import SparkSession

input_dir, output_dir = sys.argv[1], sys.argv[2]
spark = SparkSession.builder.appName("wordcount").getOrCreate()
sc = spark.sparkContext

# At least one partition per executor core, so every worker takes part.
lines = sc.textFile("file://" + input_dir, minPartitions=8)


def count_on_host(partition):
    counted = 0
    for _ in partition:
        counted += 1
    yield (socket.gethostname(), counted)


hosts = lines.mapPartitions(count_on_host).reduceByKey(lambda a, b: a + b).collect()
counts = lines.flatMap(lambda line: line.split()).map(lambda word: (word, 1)).reduceByKey(lambda a, b: a + b)

if os.path.exists(output_dir):
    shutil.rmtree(output_dir)
counts.map(lambda pair: f"{pair[0]}\t{pair[1]}").saveAsTextFile("file://" + output_dir)
with open(os.path.join(output_dir, "_hosts"), "w") as out:
    for host, counted in sorted(hosts):
        out.write(f"{host}\t{counted}\n")

print(f"counted {counts.count()} distinct words on {len(hosts)} hosts: {', '.join(sorted(h for h, _ in hosts))}")
spark.stop()
