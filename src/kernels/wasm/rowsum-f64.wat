;; Row sums in float64 on arrays resident in the kernel heap (heap.ts): out[i] = sum over j of
;; m[i][j] for a rows x cols m (the bias gradient's sum over the batch). Vectorised across rows, not
;; along them: lanes hold rows i, i+1 (and a second vector rows i+2, i+3), each summed from j = 0
;; upwards as the TypeScript loop of src/kernels/elementwise.ts (sumColumnsInto) does, so every sum
;; is the same to the last bit. Addresses are byte offsets. rowsum-f32.wat is the float32 twin.
(module
  (import "env" "memory" (memory 1))

  (func (export "sumRows")
    (param $m i32) (param $rows i32) (param $cols i32) (param $out i32)
    (local $i i32) (local $p i32) (local $end i32) (local $rowBytes i32) (local $four i32)
    (local $s01 v128) (local $s23 v128) (local $s f64)
    (local.set $rowBytes (i32.shl (local.get $cols) (i32.const 3)))
    (local.set $four (i32.and (local.get $rows) (i32.const -4)))
    ;; four rows at a time: p walks row i; rows i+1..i+3 are p + 1, 2, 3 row lengths
    (block $qdone (loop $quad
      (br_if $qdone (i32.ge_u (local.get $i) (local.get $four)))
      (local.set $p (i32.add (local.get $m) (i32.mul (local.get $i) (local.get $rowBytes))))
      (local.set $end (i32.add (local.get $p) (local.get $rowBytes)))
      (local.set $s01 (v128.const i64x2 0 0))
      (local.set $s23 (v128.const i64x2 0 0))
      (block $jdone (loop $col
        (br_if $jdone (i32.ge_u (local.get $p) (local.get $end)))
        (local.set $s01 (f64x2.add (local.get $s01)
          (v128.load64_lane 1 (i32.add (local.get $p) (local.get $rowBytes)) (v128.load64_zero (local.get $p)))))
        (local.set $s23 (f64x2.add (local.get $s23)
          (v128.load64_lane 1 (i32.add (local.get $p) (i32.mul (local.get $rowBytes) (i32.const 3)))
            (v128.load64_zero (i32.add (local.get $p) (i32.shl (local.get $rowBytes) (i32.const 1)))))))
        (local.set $p (i32.add (local.get $p) (i32.const 8)))
        (br $col)))
      (f64.store offset=0 (i32.add (local.get $out) (i32.shl (local.get $i) (i32.const 3))) (f64x2.extract_lane 0 (local.get $s01)))
      (f64.store offset=8 (i32.add (local.get $out) (i32.shl (local.get $i) (i32.const 3))) (f64x2.extract_lane 1 (local.get $s01)))
      (f64.store offset=16 (i32.add (local.get $out) (i32.shl (local.get $i) (i32.const 3))) (f64x2.extract_lane 0 (local.get $s23)))
      (f64.store offset=24 (i32.add (local.get $out) (i32.shl (local.get $i) (i32.const 3))) (f64x2.extract_lane 1 (local.get $s23)))
      (local.set $i (i32.add (local.get $i) (i32.const 4)))
      (br $quad)))
    ;; the last rows one at a time
    (block $rdone (loop $row
      (br_if $rdone (i32.ge_u (local.get $i) (local.get $rows)))
      (local.set $p (i32.add (local.get $m) (i32.mul (local.get $i) (local.get $rowBytes))))
      (local.set $end (i32.add (local.get $p) (local.get $rowBytes)))
      (local.set $s (f64.const 0))
      (block $jdone (loop $col
        (br_if $jdone (i32.ge_u (local.get $p) (local.get $end)))
        (local.set $s (f64.add (local.get $s) (f64.load (local.get $p))))
        (local.set $p (i32.add (local.get $p) (i32.const 8)))
        (br $col)))
      (f64.store (i32.add (local.get $out) (i32.shl (local.get $i) (i32.const 3))) (local.get $s))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $row)))
  )
)
